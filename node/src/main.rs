#![doc = include_str!("../README.md")]
//!
//! The supply-chain-finance node.
#![warn(missing_docs)]

mod benchmarking;
#[cfg(test)]
mod block_builder_tests;
mod chain_spec;
mod cli;
mod command;
mod consortium;
mod pool;
mod rpc;
mod service;
mod sm2_cmd;
mod sm2_verifier;

fn main() -> sc_cli::Result<()> {
	command::run()
}
