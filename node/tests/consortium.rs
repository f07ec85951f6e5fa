//! End-to-end tests of the local consortium with the real node binary: four
//! bank validators and a supplier node on loopback.
//!
//! Block production and finality are checked on the shared test consortium
//! (see `common`). The tests that kill a node or bring in a stranger run on
//! a consortium of their own, started once for both, so the shared one is
//! never disturbed; it is stopped when the test ends, also when it fails.

mod common;

use std::{collections::BTreeSet, time::Duration};

use common::*;
use serde_json::json;

/// First blocks and finality take a while on two busy cores.
const START_LIMIT: Duration = Duration::from_secs(120);

#[test]
fn four_validators_produce_and_finalize_blocks() {
	let net = shared();
	let bank_a = net.node();
	let first = bank_a.finalized_number().expect("bank-a answers");
	wait_finalized_on(&net.nodes, first.max(8), START_LIMIT);

	// Every validator authored: with four Aura authorities, the author of a
	// block is its slot modulo four. Slots may be missed while nodes
	// connect, so look over more blocks than four: by then each bank should
	// have had its turn.
	let best = bank_a.best_number().expect("bank-a answers");
	wait_finalized_on(&net.nodes, best + 4, START_LIMIT);
	let best = bank_a.best_number().unwrap();
	let mut authors = BTreeSet::new();
	for number in 1..=best {
		let hash = bank_a.block_hash(number).expect("block exists");
		let header = bank_a.rpc("chain_getHeader", json!([hash])).unwrap();
		authors.insert(aura_slot(&header).expect("Aura pre-digest") % 4);
		if authors.len() == 4 {
			break;
		}
	}
	assert_eq!(authors.len(), 4, "authors seen (slot mod 4): {authors:?}");

	// All five nodes agree on the finalized chain.
	let n = net.nodes.iter().map(|n| n.finalized_number().unwrap()).min().unwrap();
	let hashes: BTreeSet<String> =
		net.nodes.iter().map(|node| node.block_hash(n).unwrap()).collect();
	assert_eq!(hashes.len(), 1, "nodes disagree on block #{n}: {hashes:?}");
}

/// One private consortium for the two tests that would disturb the shared
/// one: a validator killed with `kill -9` (finality goes on without it, and
/// it catches up on its old database), and a node whose peer id is not
/// authorised (it never syncs).
#[test]
fn a_private_consortium_survives_a_killed_validator_and_shuts_out_a_stranger() {
	let _machine = exclusive();
	let mut net = Consortium::start("private");
	net.wait_finalized_on_all(3, START_LIMIT);
	finality_survives_a_killed_validator_which_then_catches_up(&mut net);
	a_node_whose_peer_id_is_not_authorised_does_not_sync(&mut net);
}

fn finality_survives_a_killed_validator_which_then_catches_up(net: &mut Consortium) {
	// Crash bank-d.
	net.nodes[3].kill_9();
	let at_kill = net.nodes[0].finalized_number().unwrap();

	// Three of four GRANDPA voters are a supermajority: finality goes on.
	let survivors = [0usize, 1, 2, 4];
	wait_for("finality to advance by 5 without bank-d", Duration::from_secs(90), || {
		survivors
			.iter()
			.all(|&i| net.nodes[i].finalized_number().map_or(false, |f| f >= at_kill + 5))
			.then_some(())
	});
	// Blocks go on too: best advances beyond finalized on the survivors.
	let best = net.nodes[0].best_number().unwrap();
	assert!(best >= at_kill + 5, "best #{best} did not advance past #{at_kill}");

	// Restart bank-d on its old database: it catches up to the others.
	let boots = net.bootnodes();
	net.nodes[3].restart("local", &boots);
	let target = net.nodes[0].finalized_number().unwrap() + 2;
	net.wait_finalized_on_all(target, START_LIMIT);

	let hash_restarted = net.nodes[3].block_hash(target).unwrap();
	for &i in &survivors {
		assert_eq!(
			net.nodes[i].block_hash(target).unwrap(),
			hash_restarted,
			"{} and the restarted bank-d disagree on finalized block #{target}",
			net.nodes[i].spec.name
		);
	}
}

fn a_node_whose_peer_id_is_not_authorised_does_not_sync(net: &mut Consortium) {
	// Every authorised node has imported blocks by now, so each has run its
	// offchain worker and applied the authorised peer set.

	// A stranger: a node key that no genesis entry names, dialling bank-a.
	let stranger_spec = NodeSpec {
		name: "stranger".into(),
		node_key: format!("{:064x}", 0x5eed_u64),
		validator_key: None,
		p2p_port: free_port(),
		rpc_port: free_port(),
	};
	let mut stranger =
		Node::start(stranger_spec, "local", net.dir.join("stranger"), &net.bootnodes());

	// Meanwhile the consortium goes on by at least ten blocks...
	let before = net.nodes[0].finalized_number().unwrap();
	wait_for("the consortium to finalize ten more blocks", Duration::from_secs(120), || {
		net.nodes[0].finalized_number().filter(|&f| f >= before + 10)
	});

	// ...and the authorised supplier node follows it (the control)...
	let supplier_best = net.nodes[4].best_number().unwrap();
	assert!(
		supplier_best >= before + 10,
		"the authorised supplier node stalled at #{supplier_best}"
	);

	// ...while the stranger is still at genesis.
	assert!(stranger.is_running(), "stranger exited:\n{}", stranger.log_tail(30));
	let stranger_best = stranger.best_number().expect("stranger answers RPC");
	assert_eq!(stranger_best, 0, "an unauthorised node synced to #{stranger_best}");
	stranger.kill_9();
}
