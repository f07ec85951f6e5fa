//! `scf-node sm2 …`: SM2 keys for participants, offline.
//!
//! - `generate [--out FILE]`: a new key, written as PKCS#8 PEM (the format
//!   `openssl genpkey -algorithm SM2` writes), with its account printed;
//! - `inspect KEY`: the public key and account id of a key (a PEM file, or
//!   the 32-byte secret in hex);
//! - `sign KEY MESSAGE [--hex]`: an SM2 signature (SM3 digest, default user
//!   id) over MESSAGE, printed as r‖s and as the SCALE-encoded chain
//!   signature.

use codec::Encode;
use scf_primitives::{sm2::Sm2Pair, Signature};
use sp_core::crypto::Ss58Codec;
use std::path::PathBuf;

/// SM2 key tools.
#[derive(Debug, clap::Subcommand)]
pub enum Sm2Cmd {
	/// Generate a new SM2 key and print its account id.
	Generate {
		/// Write the private key (PKCS#8 PEM) here instead of printing it.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Print the public key and account id of a key.
	Inspect {
		/// A PEM file, or the secret scalar as 64 hex digits.
		key: String,
	},
	/// Sign a message.
	Sign {
		/// A PEM file, or the secret scalar as 64 hex digits.
		key: String,
		/// The message: text, or hex with `--hex`.
		message: String,
		/// The message is hex (`0x` optional).
		#[arg(long)]
		hex: bool,
	},
}

fn load(key: &str) -> Result<Sm2Pair, String> {
	let path = std::path::Path::new(key);
	if path.exists() {
		let pem = std::fs::read_to_string(path).map_err(|e| format!("{key}: {e}"))?;
		return Sm2Pair::from_pkcs8_pem(&pem).map_err(|e| format!("{key}: {e}"));
	}
	Sm2Pair::from_secret_hex(key).map_err(|e| format!("not a PEM file nor a hex secret: {e}"))
}

fn describe(pair: &Sm2Pair) -> String {
	let public = pair.public();
	let account = public.account_id();
	format!(
		"Public key (compressed): 0x{}\nAccount id:              0x{}\nSS58 address:            {}",
		hex(&public.0),
		hex(account.as_ref()),
		account.to_ss58check()
	)
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
	let s = s.trim().trim_start_matches("0x");
	if s.len() % 2 != 0 {
		return Err("odd number of hex digits".into());
	}
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("bad hex: {e}")))
		.collect()
}

impl Sm2Cmd {
	/// Runs the command, printing to stdout.
	pub fn run(&self) -> Result<(), String> {
		match self {
			Sm2Cmd::Generate { out } => {
				let pair = Sm2Pair::generate();
				let pem = pair.to_pkcs8_pem();
				match out {
					Some(path) => {
						write_private(path, &pem)?;
						println!("Private key written to {}", path.display());
					},
					None => print!("{}", pem.as_str()),
				}
				println!("{}", describe(&pair));
			},
			Sm2Cmd::Inspect { key } => println!("{}", describe(&load(key)?)),
			Sm2Cmd::Sign { key, message, hex: is_hex } => {
				let pair = load(key)?;
				let msg = if *is_hex { unhex(message)? } else { message.as_bytes().to_vec() };
				let sig = pair.sign(&msg);
				println!("Signature (r‖s):  0x{}", hex(&sig.signature));
				println!("Chain signature:  0x{}", hex(&Signature::Sm2(sig).encode()));
			},
		}
		Ok(())
	}
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, pem: &str) -> Result<(), String> {
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	let mut f = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| format!("{}: {e}", path.display()))?;
	f.write_all(pem.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, pem: &str) -> Result<(), String> {
	std::fs::write(path, pem).map_err(|e| format!("{}: {e}", path.display()))
}
