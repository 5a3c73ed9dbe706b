//! The medtm language server: the same parser, checker and engine as the command line, answering
//! an editor over the Language Server Protocol (`medtm lsp`, over standard input and output).
//!
//! It publishes every diagnostic and every finding as the model is typed, and answers hover,
//! completion, go to definition, find references, highlights, the outline, formatting, rename,
//! quick fixes and semantic tokens. There is no second parser and no feature logic here:
//! `medtm-ide` answers every request from the analysis of the latest version of the document
//! (as it does for the browser playground), and this crate speaks the protocol and converts
//! positions.

mod analyser;
mod diagnostics;
mod document;
mod edits;
mod position;
mod protocol;
mod requests;
mod semantic;
mod server;

pub use server::{Ended, Options, serve};

/// Serves one client over standard input and output until it exits.
pub fn serve_stdio(options: Options) -> Result<Ended, String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    // On an error the reader thread may still wait on standard input: return without it.
    let ended = serve(&connection, options)?;
    // The writer thread ends once every sender is gone, after writing what is queued.
    drop(connection);
    io_threads.join().map_err(|error| format!("the connection to the editor failed: {error}"))?;
    Ok(ended)
}
