//! `scf-node consortium add`: keys and start files for new nodes of a
//! running consortium, and the council motions that admit the new
//! participants, authorise the nodes and add the validators.

use super::{check, governance, keys, write_bundle, NodeRole};
use std::{fmt::Write as _, path::PathBuf};

/// Add participants and nodes to a generated consortium.
#[derive(Debug, clap::Parser)]
pub struct AddCmd {
	/// The folder `consortium generate` wrote (its `description.json`,
	/// `peers.json` and `chain-spec.json` are read; nothing there changes).
	#[arg(long)]
	pub consortium: PathBuf,
	/// The addition (JSON): `{"participants": [...], "nodes": [...]}`, each
	/// entry as in the description.
	#[arg(long)]
	pub addition: PathBuf,
	/// Where the new nodes' bundles go; must not exist yet.
	#[arg(long)]
	pub out: PathBuf,
	/// Where the bundles will live on their hosts; default `--out`.
	#[arg(long)]
	pub install_dir: Option<PathBuf>,
	/// The node binary the start files run.
	#[arg(long, default_value = "/usr/local/bin/scf-node")]
	pub node_binary: PathBuf,
	/// Council seats today, for the thresholds; default the description's.
	#[arg(long)]
	pub council_size: Option<u32>,
}

fn read_json(path: &std::path::Path) -> Result<serde_json::Value, String> {
	let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
	serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

impl AddCmd {
	/// Writes the new bundles; returns the summary and the motions.
	pub fn run(&self) -> Result<String, String> {
		let mut merged = read_json(&self.consortium.join("description.json"))?;
		let peers = read_json(&self.consortium.join("peers.json"))?;
		let addition = read_json(&self.addition)?;
		let seats = match self.council_size {
			Some(n) => n,
			None => merged["council"].as_array().map_or(0, |c| c.len() as u32),
		};
		let mut new_participants = Vec::new();
		let mut new_nodes = Vec::new();
		for (field, new) in [("participants", &mut new_participants), ("nodes", &mut new_nodes)] {
			let list = addition.get(field).cloned().unwrap_or_default();
			let list = match list {
				serde_json::Value::Null => Vec::new(),
				serde_json::Value::Array(list) => list,
				_ => return Err(format!("{}: `{field}` is not a list", self.addition.display())),
			};
			for entry in list {
				let key = if field == "nodes" { "name" } else { "key" };
				new.push(entry[key].as_str().unwrap_or_default().to_string());
				merged[field]
					.as_array_mut()
					.ok_or("description.json has no participants or nodes")?
					.push(entry);
			}
		}
		if new_participants.is_empty() && new_nodes.is_empty() {
			return Err(format!("{}: nothing to add", self.addition.display()));
		}
		// The whole consortium as it will be, checked as one description.
		let checked = check(merged.to_string().as_bytes(), true).map_err(|e| e.to_string())?;
		if self.out.exists() {
			return Err(format!(
				"{} exists: new keys go into a new folder only",
				self.out.display()
			));
		}
		keys::private_dir(&self.out).map_err(|e| format!("{}: {e}", self.out.display()))?;
		let mut identities = Vec::new();
		for (node, role, _) in &checked.nodes {
			if new_nodes.contains(&node.name) {
				let base = self.out.join(&node.name).join("base");
				identities.push(
					keys::generate(&base, &checked.id, *role == NodeRole::Validator)
						.map_err(|e| format!("keys of node {:?}: {e}", node.name))?,
				);
			} else {
				let peer_id = peers[&node.name]["peer_id"]
					.as_str()
					.and_then(|p| p.parse().ok())
					.ok_or_else(|| format!("peers.json has no peer id of node {:?}", node.name))?;
				identities.push(keys::Identity { peer_id, session: None });
			}
		}
		let spec = self.consortium.join("chain-spec.json");
		let install = self.install_dir.clone().unwrap_or_else(|| self.out.clone());
		let mut summary = format!("New nodes of {} ({}):\n", checked.name, checked.id);
		let mut motion_nodes = Vec::new();
		for (i, (node, role, owner)) in checked.nodes.iter().enumerate() {
			if !new_nodes.contains(&node.name) {
				continue;
			}
			let (_, _, line) = write_bundle(
				&checked,
				i,
				&identities,
				&self.out,
				&install,
				&self.node_binary,
				&spec,
			)?;
			summary.push_str(&line);
			motion_nodes.push((node.name.clone(), *role, owner.clone(), &identities[i]));
		}
		let participants: Vec<_> = checked
			.participants
			.iter()
			.filter(|p| new_participants.contains(&p.key))
			.cloned()
			.collect();
		let motions = governance::motions(seats, &participants, &motion_nodes)?;
		let _ = writeln!(
			summary,
			"\nCouncil motions, in this order ({seats} seats; a member signs each \
			 `council.propose` extrinsic below, the others vote, and it is closed):"
		);
		for (n, m) in motions.iter().enumerate() {
			let _ = writeln!(
				summary,
				"{}. {} — {} of {seats} ayes\n   call:    {}\n   propose: {}",
				n + 1,
				m.what,
				m.threshold,
				m.call,
				m.propose
			);
		}
		Ok(summary)
	}
}
