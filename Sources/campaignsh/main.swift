// The interactive shell arrives with the shell issue; until then this executable only reports its version.
import Foundation

let version = "0.1.0"
switch CommandLine.arguments.dropFirst().first {
case "version", "--version":
    print("campaignsh \(version)")
default:
    FileHandle.standardError.write(Data("campaignsh: the interactive shell is not built yet\n".utf8))
    exit(2)
}
