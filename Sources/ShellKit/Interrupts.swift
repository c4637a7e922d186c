import CLibEdit

/// Ctrl-C for the whole process: a handler that only records the key press. The prompt turns it into
/// a cancelled line; ``ShellRunner`` polls it to cancel the running command.
public enum Interrupts {
    /// Installs the handler (instead of the default, which kills the process).
    public static func install() {
        var saved = clibedit_sigint_saved()
        _ = clibedit_sigint_install(&saved)
    }

    /// Whether Ctrl-C was pressed since the last call.
    @Sendable public static func take() -> Bool {
        clibedit_sigint_take() != 0
    }
}
