/// Binds a run to the AWS account its environment names: the caller's account (STS
/// GetCallerIdentity) must be the environment's `aws_account` before anything is sent.
public struct AccountBinding: Sendable {
    public var sts: STSClient

    public init(sts: STSClient) { self.sts = sts }

    /// The caller identity, after checking its account is `expectedAccount` (when one is given).
    @discardableResult
    public func verify(expectedAccount: String?, environment: String) throws(AccountBindingError) -> STSClient.CallerIdentity {
        let identity: STSClient.CallerIdentity
        do {
            identity = try sts.getCallerIdentity()
        } catch {
            throw AccountBindingError.identityUnavailable(error)
        }
        try Self.check(identity, expectedAccount: expectedAccount, environment: environment)
        return identity
    }

    /// Throws `accountMismatch` when `identity` is not in `expectedAccount`.
    public static func check(_ identity: STSClient.CallerIdentity, expectedAccount: String?,
                             environment: String) throws(AccountBindingError) {
        guard let expected = expectedAccount, !expected.isEmpty else { return }
        if identity.account != expected {
            throw AccountBindingError.accountMismatch(environment: environment, expected: expected,
                                                      actual: identity.account, arn: identity.arn)
        }
    }
}
