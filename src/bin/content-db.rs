//! `content-db`: the command-line tool. Argument parsing and printing only; every rule lives in
//! the library.

fn main() {
    todo!("cli helper")
}
