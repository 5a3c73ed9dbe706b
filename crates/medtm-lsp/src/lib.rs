//! The medtm language server: the same parser, checker and engine as the command line, answering
//! an editor over the Language Server Protocol.

/// Serves one client over standard input and output until it asks to exit.
pub fn serve_stdio() -> Result<(), String> {
    Err("the language server is not built yet".to_owned())
}
