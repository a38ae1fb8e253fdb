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

/// The credentials belong to another account than the environment's, or STS could not say.
public enum AccountBindingError: Error, Sendable, CustomStringConvertible {
    case identityUnavailable(AWSError)
    case accountMismatch(environment: String, expected: String, actual: String, arn: String)

    public var description: String {
        switch self {
        case .identityUnavailable(let e):
            return "cannot confirm the AWS account (\(e)); nothing was sent to the environment"
        case .accountMismatch(let env, let expected, let actual, let arn):
            return "AWS account mismatch: environment \(env) is account \(expected) but the credentials are account \(actual) (\(arn)); nothing was sent. Use the credentials (AWS_PROFILE) for \(expected)"
        }
    }
}
