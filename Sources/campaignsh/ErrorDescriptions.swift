import AuditStore
import CampaignControl
import GenesysCloud
import ShellKit

/// How errors from the other modules reach the operator: one line, and the exit status they mean.
enum ErrorDescriptions {
    static func shellError(for error: any Error) -> ShellError? {
        switch error {
        case let error as GenesysError where error.kind == .authentication:
            return .usage(error.description, hint: "check the client id and secret, and the region")
        case let error as GenesysError:
            return .failure(error.description)
        case let error as OrgSessionError:
            return .usage(error.description)
        case let error as ConfigurationError:
            return .usage(error.description)
        case let error as CampaignResolver.Failure:
            return .failure(error.description)
        case let error as AuditStoreError:
            return .failure(error.description)
        case let error as TransitionError:
            return .failure(error.description)
        default:
            return nil
        }
    }
}
