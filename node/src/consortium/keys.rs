//! Fresh keys for one node, written where the node looks for them: the
//! libp2p key at `chains/<id>/network/secret_ed25519`, the Aura (sr25519)
//! and GRANDPA (ed25519) keys in `chains/<id>/keystore` by the node's own
//! keystore code. Folders are 0700 and files 0600; no secret is printed or
//! passed on a command line.

use sc_keystore::{Keystore, LocalKeystore};
use sc_network_types::{ed25519, PeerId};
use sp_core::{crypto::key_types, Pair};
use std::{io::Write, os::unix::fs::OpenOptionsExt, path::Path};

/// What the chain spec needs of a node: its peer id and, for a validator,
/// the public session keys.
pub struct Identity {
	pub peer_id: PeerId,
	pub session: Option<(sp_core::sr25519::Public, sp_core::ed25519::Public)>,
}

/// Creates `dir` (and parents) with mode 0700.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
	use std::os::unix::fs::DirBuilderExt;
	std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Generates the keys of the node whose base path is `base`.
pub fn generate(base: &Path, chain_id: &str, validator: bool) -> Result<Identity, String> {
	let chain = base.join("chains").join(chain_id);
	let network = chain.join("network");
	private_dir(&network).map_err(|e| format!("{}: {e}", network.display()))?;
	let keypair = ed25519::Keypair::generate();
	let secret = keypair.secret();
	let path = network.join("secret_ed25519");
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(&path)
		.map_err(|e| format!("{}: {e}", path.display()))?;
	// Raw 32 bytes, as the node writes a key it generates itself.
	file.write_all(secret.as_ref()).map_err(|e| format!("{}: {e}", path.display()))?;
	let peer_id = keypair.public().to_peer_id();
	let session = if validator {
		let keystore_dir = chain.join("keystore");
		private_dir(&keystore_dir).map_err(|e| format!("{}: {e}", keystore_dir.display()))?;
		let keystore = LocalKeystore::open(&keystore_dir, None)
			.map_err(|e| format!("{}: {e}", keystore_dir.display()))?;
		let (aura, aura_phrase, _) = sp_core::sr25519::Pair::generate_with_phrase(None);
		let (grandpa, grandpa_phrase, _) = sp_core::ed25519::Pair::generate_with_phrase(None);
		keystore
			.insert(key_types::AURA, &aura_phrase, aura.public().as_ref())
			.map_err(|()| "cannot write the Aura key into the keystore".to_string())?;
		keystore
			.insert(key_types::GRANDPA, &grandpa_phrase, grandpa.public().as_ref())
			.map_err(|()| "cannot write the GRANDPA key into the keystore".to_string())?;
		Some((aura.public(), grandpa.public()))
	} else {
		None
	};
	Ok(Identity { peer_id, session })
}
