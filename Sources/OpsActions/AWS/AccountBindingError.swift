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
