//! Hybrid deployment across real network boundaries, on this machine's own
//! test hosts: a consortium made by `scf-node consortium generate` runs in
//! network namespaces — a "bank cloud" with the four validators, a
//! "supplier cloud" with the supplier's archive node, the indexer and the
//! bridge — joined only through a "WAN" namespace, where a delaying TCP relay
//! of this test's own (20–50 ms each way; this kernel has no `netem`)
//! carries the p2p and RPC ports. The WAN does not route: the supplier cloud
//! reaches the banks only at the relay's addresses, and only their p2p
//! ports (a validator's RPC stays on loopback). The test also has a
//! management link to each cloud, the way an operator's console would, for
//! its own RPC reads; no cloud can reach another through it (the clouds
//! have no routes beyond their own links).
//!
//! Checked: the consortium finalizes; a certificate issued through the
//! bridge in the supplier cloud is finalized by the bank validators; a node
//! with a fresh, unauthorised key in the supplier cloud does not sync across
//! the boundary; cutting the WAN link stalls the supplier's node and healing
//! it lets it catch up. Everything (processes, relay, namespaces, veths) is
//! torn down at the end, also on failure. Needs root (`ip netns`).

mod common;

use common::{bridge, *};
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{SocketAddrV4, TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{
		atomic::{AtomicBool, Ordering},
		mpsc, Arc,
	},
	time::{Duration, Instant},
};

/// Runs `ip ARGS`, failing the test with its error.
fn ip(args: &[&str]) {
	let out = Command::new("ip").args(args).output().expect("the `ip` command (iproute2) runs");
	assert!(
		out.status.success(),
		"ip {}: {} (this test needs root and iproute2)",
		args.join(" "),
		String::from_utf8_lossy(&out.stderr).trim()
	);
}

/// The three namespaces and their links; deleted when dropped.
struct Clouds {
	bank: String,
	supplier: String,
	wan: String,
	/// The root-side ends of the management links.
	mgmt: [String; 2],
}

const BANK_IP: &str = "10.77.1.2";
const WAN_BANK_SIDE: &str = "10.77.1.1";
const SUPPLIER_IP: &str = "10.77.2.2";
const WAN_SUPPLIER_SIDE: &str = "10.77.2.1";
/// The test's management addresses of the two clouds.
const BANK_MGMT: &str = "10.77.10.2";
const SUPPLIER_MGMT: &str = "10.77.20.2";

impl Clouds {
	fn create() -> Clouds {
		let id = std::process::id() % 100_000;
		let clouds = Clouds {
			bank: format!("scf-bank-{id}"),
			supplier: format!("scf-sup-{id}"),
			wan: format!("scf-wan-{id}"),
			mgmt: [format!("scfmb{id}"), format!("scfms{id}")],
		};
		for ns in [&clouds.bank, &clouds.supplier, &clouds.wan] {
			ip(&["netns", "add", ns]);
			ip(&["-n", ns, "link", "set", "lo", "up"]);
		}
		// bank cloud <-> WAN, supplier cloud <-> WAN.
		let link = |a_ns: &str, a: &str, a_ip: &str, b_ns: &str, b: &str, b_ip: &str| {
			ip(&["-n", a_ns, "link", "add", a, "type", "veth", "peer", "name", b, "netns", b_ns]);
			ip(&["-n", a_ns, "addr", "add", a_ip, "dev", a]);
			ip(&["-n", b_ns, "addr", "add", b_ip, "dev", b]);
			ip(&["-n", a_ns, "link", "set", a, "up"]);
			ip(&["-n", b_ns, "link", "set", b, "up"]);
		};
		let net = |ip: &str| format!("{ip}/24");
		link(&clouds.bank, "wan0", &net(BANK_IP), &clouds.wan, "bank0", &net(WAN_BANK_SIDE));
		link(
			&clouds.supplier,
			"wan0",
			&net(SUPPLIER_IP),
			&clouds.wan,
			"sup0",
			&net(WAN_SUPPLIER_SIDE),
		);
		// The management links: root <-> each cloud, /30s with no routes on.
		for (i, (ns, root_ip, cloud_ip)) in [
			(&clouds.bank, "10.77.10.1/30", "10.77.10.2/30"),
			(&clouds.supplier, "10.77.20.1/30", "10.77.20.2/30"),
		]
		.into_iter()
		.enumerate()
		{
			let root = &clouds.mgmt[i];
			ip(&["link", "add", root, "type", "veth", "peer", "name", "mgmt0", "netns", ns]);
			ip(&["addr", "add", root_ip, "dev", root]);
			ip(&["-n", ns, "addr", "add", cloud_ip, "dev", "mgmt0"]);
			ip(&["link", "set", root, "up"]);
			ip(&["-n", ns, "link", "set", "mgmt0", "up"]);
		}
		clouds
	}

	/// Cuts (`false`) or heals the WAN's link to the supplier cloud.
	fn supplier_link(&self, up: bool) {
		ip(&["-n", &self.wan, "link", "set", "sup0", if up { "up" } else { "down" }]);
	}
}

impl Drop for Clouds {
	fn drop(&mut self) {
		for root in &self.mgmt {
			let _ = Command::new("ip").args(["link", "del", root]).output();
		}
		for ns in [&self.bank, &self.supplier, &self.wan] {
			let _ = Command::new("ip").args(["netns", "del", ns]).output();
		}
	}
}

/// A process started in a namespace, killed when dropped.
struct InCloud {
	name: String,
	child: Child,
	log: PathBuf,
}

impl InCloud {
	fn start(ns: &str, name: &str, program: &Path, args: &[String], log: PathBuf) -> InCloud {
		let file = std::fs::File::create(&log).unwrap();
		let child = Command::new("ip")
			.args(["netns", "exec", ns])
			.arg(program)
			.args(args)
			.env("SCF_BRIDGE_MASTER_KEY", bridge::MASTER_KEY)
			.stdin(Stdio::null())
			.stdout(file.try_clone().unwrap())
			.stderr(file)
			.spawn()
			.unwrap_or_else(|e| panic!("{name} starts: {e}"));
		InCloud { name: name.into(), child, log }
	}

	fn tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		format!("--- {}\n{}", self.name, lines[lines.len().saturating_sub(20)..].join("\n"))
	}
}

impl Drop for InCloud {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Moves the calling thread into network namespace `ns`.
fn enter(ns: &str) {
	use std::os::fd::AsRawFd;
	let file = std::fs::File::open(format!("/run/netns/{ns}")).expect("the namespace exists");
	// SAFETY: setns on a valid descriptor; it affects this thread only.
	let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
	assert_eq!(rc, 0, "setns {ns}: {}", std::io::Error::last_os_error());
}

/// A TCP relay in the WAN namespace: each of `ports` is listened on at
/// `listen` and forwarded to `target`, every chunk delayed 20–50 ms each way
/// (in order). Stops accepting when dropped.
struct Relay {
	stop: Arc<AtomicBool>,
}

impl Relay {
	fn start(ns: &str, listen: &str, target: &str, ports: &[u16]) -> Relay {
		let stop = Arc::new(AtomicBool::new(false));
		for &port in ports {
			let (ns, stop) = (ns.to_string(), stop.clone());
			let listen: SocketAddrV4 = format!("{listen}:{port}").parse().unwrap();
			let target: SocketAddrV4 = format!("{target}:{port}").parse().unwrap();
			let (ready, bound) = mpsc::channel();
			std::thread::spawn(move || {
				enter(&ns);
				let listener = TcpListener::bind(listen).expect("the relay binds");
				listener.set_nonblocking(true).unwrap();
				ready.send(()).unwrap();
				while !stop.load(Ordering::Relaxed) {
					match listener.accept() {
						Ok((down, _)) => {
							// Connected from this thread: in the WAN namespace.
							let Ok(up) =
								TcpStream::connect_timeout(&target.into(), Duration::from_secs(3))
							else {
								continue;
							};
							let _ = down.set_nonblocking(false);
							pump(down.try_clone().unwrap(), up.try_clone().unwrap());
							pump(up, down);
						},
						Err(_) => std::thread::sleep(Duration::from_millis(20)),
					}
				}
			});
			bound.recv_timeout(Duration::from_secs(5)).expect("the relay listens");
		}
		Relay { stop }
	}
}

impl Drop for Relay {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
	}
}

/// Copies `from` to `to`, each chunk held 20–50 ms, order kept.
fn pump(mut from: TcpStream, mut to: TcpStream) {
	let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
	std::thread::spawn(move || {
		let mut seed = Instant::now().elapsed().subsec_nanos() as u64 | 1;
		let mut last = Instant::now();
		let mut buf = vec![0u8; 64 * 1024];
		loop {
			match from.read(&mut buf) {
				Ok(0) | Err(_) => break,
				Ok(n) => {
					seed ^= seed << 13;
					seed ^= seed >> 7;
					seed ^= seed << 17;
					let delay = Duration::from_millis(20 + seed % 31);
					last = last.max(Instant::now() + delay);
					if tx.send((last, buf[..n].to_vec())).is_err() {
						break;
					}
				},
			}
		}
	});
	std::thread::spawn(move || {
		for (at, chunk) in rx {
			if let Some(wait) = at.checked_duration_since(Instant::now()) {
				std::thread::sleep(wait);
			}
			if to.write_all(&chunk).is_err() {
				break;
			}
		}
		let _ = to.shutdown(std::net::Shutdown::Both);
	});
}

fn ss58(who: sp_keyring::Sr25519Keyring) -> String {
	use sp_core::crypto::Ss58Codec;
	who.to_account_id().to_ss58check()
}

fn uscc(n: u32) -> String {
	String::from_utf8(pallet_participants::uscc::synthetic(n).to_vec()).unwrap()
}

const P2P: [u16; 4] = [30333, 30334, 30335, 30336];
const RPC: [u16; 4] = [9944, 9945, 9946, 9947];
const SUPPLIER_P2P: u16 = 30340;
const SUPPLIER_RPC: u16 = 9950;

/// The consortium: four banks (Alice–Dave as operators), a core enterprise
/// (Eve) with a line from bank A, a supplier (Ferdie) with an archive node
/// that reaches the validators through the WAN relay.
fn description() -> Value {
	use sp_keyring::Sr25519Keyring::*;
	let banks = [("bank-a", Alice), ("bank-b", Bob), ("bank-c", Charlie), ("bank-d", Dave)];
	let mut participants: Vec<Value> = banks
		.iter()
		.enumerate()
		.map(|(i, (key, who))| {
			json!({ "key": key, "name": format!("{key} 银行"), "uscc": uscc(101 + i as u32),
				"account": ss58(*who), "roles": ["operator", "financier"] })
		})
		.collect();
	participants.push(json!({ "key": "core", "name": "华东汽车集团有限公司", "uscc": uscc(201),
		"account": ss58(Eve), "roles": ["core_enterprise"] }));
	participants.push(json!({ "key": "supplier", "name": "一级零部件制造有限公司",
		"uscc": uscc(301), "account": ss58(Ferdie), "roles": ["supplier"] }));
	let mut nodes: Vec<Value> = banks
		.iter()
		.enumerate()
		.map(|(i, (key, _))| {
			json!({ "name": key, "owner": key, "role": "validator", "address": BANK_IP,
				"p2p_port": P2P[i], "rpc_port": RPC[i], "prometheus_port": 9615 + i as u16 })
		})
		.collect();
	let dial: serde_json::Map<String, Value> = banks
		.iter()
		.enumerate()
		.map(|(i, (key, _))| (key.to_string(), json!(format!("{WAN_SUPPLIER_SIDE}:{}", P2P[i]))))
		.collect();
	nodes.push(json!({ "name": "supplier", "owner": "supplier", "role": "archive",
		"address": SUPPLIER_IP, "p2p_port": SUPPLIER_P2P, "rpc_port": SUPPLIER_RPC,
		"rpc_external": true, "dial": dial }));
	json!({
		"name": "SCF Hybrid Test", "id": "scf_hybrid_test", "genesis_time": tx::now_ms(),
		"participants": participants,
		"council": ["bank-a", "bank-b", "bank-c", "bank-d"],
		"credit_lines": [{ "financier": "bank-a", "core": "core", "limit": 100_000_000_000u64,
			"expires_at": tx::now_ms() + 365 * 24 * 3600 * 1000 }],
		"nodes": nodes,
	})
}

/// The node's arguments from its generated environment file, and any in
/// `SCF_HYBRID_NODE_ARGS` (for a diagnosis: `-l sync=debug`).
fn start_args(bundle: &Path) -> Vec<String> {
	let env = std::fs::read_to_string(bundle.join("scf-node.env")).unwrap();
	let line = env.lines().find_map(|l| l.strip_prefix("SCF_NODE_ARGS=")).expect("SCF_NODE_ARGS");
	let mut args: Vec<String> = line.trim_matches('"').split(' ').map(str::to_string).collect();
	if let Ok(more) = std::env::var("SCF_HYBRID_NODE_ARGS") {
		args.extend(more.split_whitespace().map(str::to_string));
	}
	args
}

fn spec(name: &str, rpc_port: u16) -> NodeSpec {
	NodeSpec {
		name: name.into(),
		node_key: String::new(),
		validator_key: None,
		p2p_port: 0,
		rpc_port,
	}
}

/// A node of the supplier cloud, whose RPC serves other hosts.
fn attached(name: &str, host: &str, rpc_port: u16, dir: &Path) -> Node {
	Node::attach_at(spec(name, rpc_port), dir.join(name), host)
}

#[test]
fn a_generated_consortium_works_across_clouds_and_keeps_strangers_out() {
	let _machine = exclusive();
	let dir = scratch_dir("hybrid");
	let description_file = dir.join("consortium.json");
	std::fs::write(&description_file, description().to_string()).unwrap();
	let out = dir.join("consortium");
	let generated = Command::new(node_binary())
		.args(["consortium", "generate", "--description"])
		.arg(&description_file)
		.arg("--out")
		.arg(&out)
		.output()
		.unwrap();
	assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));

	let clouds = Clouds::create();
	// The relay: the supplier cloud dials the banks' p2p ports at the WAN's
	// supplier-side address. (Validators keep RPC on loopback — the node
	// refuses `--rpc-external` on a validator — so no bank RPC crosses the
	// WAN; the supplier cloud uses its own node's.) The test's console
	// reaches the validators' RPC through a relay in the bank cloud, as an
	// operator's SSH tunnel would, and speaks to it as to localhost; the
	// supplier's node it reaches at its address, as the cloud's other
	// hosts would (which `--rpc-cors all` makes possible).
	let _wan = Relay::start(&clouds.wan, WAN_SUPPLIER_SIDE, BANK_IP, &P2P);
	let _console = Relay::start(&clouds.bank, BANK_MGMT, "127.0.0.1", &RPC);
	let mut processes = Vec::new();
	for name in ["bank-a", "bank-b", "bank-c", "bank-d"] {
		let args = start_args(&out.join(name));
		processes.push(InCloud::start(
			&clouds.bank,
			name,
			&node_binary(),
			&args,
			dir.join(format!("{name}.log")),
		));
	}
	let args = start_args(&out.join("supplier"));
	processes.push(InCloud::start(
		&clouds.supplier,
		"supplier",
		&node_binary(),
		&args,
		dir.join("supplier.log"),
	));
	let tails =
		|processes: &[InCloud]| processes.iter().map(InCloud::tail).collect::<Vec<_>>().join("\n");

	let banks: Vec<Node> = ["bank-a", "bank-b", "bank-c", "bank-d"]
		.iter()
		.enumerate()
		.map(|(i, n)| Node::attach_tunnelled(spec(n, RPC[i]), dir.join(n), BANK_MGMT))
		.collect();
	let supplier = attached("supplier", SUPPLIER_MGMT, SUPPLIER_RPC, &dir);
	let started = Instant::now();
	let finalized_everywhere = |n: u64| {
		banks.iter().chain([&supplier]).all(|node| node.finalized_number().is_some_and(|f| f >= n))
	};
	while !finalized_everywhere(3) {
		assert!(
			started.elapsed() < Duration::from_secs(60),
			"no finality across the clouds in 60 s: {}\n{}",
			banks
				.iter()
				.chain([&supplier])
				.map(|n| format!(
					"{} {:?}/{:?}",
					n.spec.name,
					n.best_number(),
					n.finalized_number()
				))
				.collect::<Vec<_>>()
				.join(", "),
			tails(&processes)
		);
		std::thread::sleep(Duration::from_millis(500));
	}
	eprintln!("finalized #3 on all five nodes after {:?}", started.elapsed());

	// The indexer and the bridge, in the supplier cloud, on its node.
	let index = dir.join("index.sqlite");
	let indexer_bin = node_binary().with_file_name("scf-indexer");
	let indexer_args: Vec<String> = vec![
		"--node".into(),
		format!("ws://127.0.0.1:{SUPPLIER_RPC}"),
		"--database".into(),
		index.display().to_string(),
		"--create-database".into(),
		"--rpc-addr".into(),
		"0.0.0.0:9955".into(),
		"--no-prometheus".into(),
	];
	processes.push(InCloud::start(
		&clouds.supplier,
		"indexer",
		&indexer_bin,
		&indexer_args,
		dir.join("indexer.log"),
	));
	wait_for("the indexer in the supplier cloud", Duration::from_secs(60), || {
		let status = rpc_call_at(
			SUPPLIER_MGMT,
			9955,
			None,
			"indexer_status",
			json!({}),
			Duration::from_secs(5),
		)
		.ok()?;
		(status["indexed"].as_u64()? >= 1).then_some(())
	});
	let core_key = bridge::enrol(&dir, "core", "sr25519://Eve");
	let bridge_args: Vec<String> = vec![
		"--database".into(),
		dir.join("bridge.sqlite").display().to_string(),
		"serve".into(),
		"--node".into(),
		format!("ws://127.0.0.1:{SUPPLIER_RPC}"),
		"--indexer-database".into(),
		index.display().to_string(),
		"--listen".into(),
		"0.0.0.0:9960".into(),
	];
	processes.push(InCloud::start(
		&clouds.supplier,
		"bridge",
		&bridge::binary(),
		&bridge_args,
		dir.join("bridge.log"),
	));
	wait_for("the bridge in the supplier cloud", Duration::from_secs(30), || {
		rpc_call_at(SUPPLIER_MGMT, 9960, None, "rpc.discover", json!([]), Duration::from_secs(5))
			.ok()
			.map(|_| ())
	});

	// An unauthorised node in the supplier cloud, dialling the banks
	// through the relay like the supplier's node.
	let stranger_args: Vec<String> = {
		let mut args = start_args(&out.join("supplier"));
		let base = args.iter().position(|a| a == "--base-path").unwrap() + 1;
		args[base] = dir.join("stranger").display().to_string();
		let rpc = args.iter().position(|a| a == "--rpc-port").unwrap() + 1;
		args[rpc] = "9951".into();
		let listen = args.iter().position(|a| a == "--listen-addr").unwrap() + 1;
		args[listen] = format!("/ip4/{SUPPLIER_IP}/tcp/30341");
		let name = args.iter().position(|a| a == "--name").unwrap() + 1;
		args[name] = "stranger".into();
		// A fresh key of its own, which no genesis authorised.
		args.push("--unsafe-force-node-key-generation".into());
		args.push("--no-prometheus".into());
		args
	};
	processes.push(InCloud::start(
		&clouds.supplier,
		"stranger",
		&node_binary(),
		&stranger_args,
		dir.join("stranger.log"),
	));
	let stranger = attached("stranger", SUPPLIER_MGMT, 9951, &dir);

	// A certificate issued through the bridge in the supplier cloud,
	// finalized by the bank validators.
	let ferdie = format!(
		"0x{}",
		tx::hex_encode(AsRef::<[u8]>::as_ref(&sp_keyring::Sr25519Keyring::Ferdie.to_account_id()))
	);
	let issued = rpc_call_at(
		SUPPLIER_MGMT,
		9960,
		Some(&core_key),
		"scf_issue",
		json!({ "idempotencyKey": "hybrid-1", "receiver": ferdie, "amount": "3000000000",
			"due": tx::now_ms() + 30 * 24 * 3600 * 1000 }),
		Duration::from_secs(120),
	)
	.unwrap_or_else(|e| panic!("scf_issue: {e}\n{}", tails(&processes)));
	assert_eq!(issued["status"], "finalized", "{issued}");
	eprintln!("issued and finalized through the bridge at {:?}", started.elapsed());
	let id = issued["certificates"][0].as_u64().expect("a certificate id");
	let key = tx::twox64_map_key("Receivables", "Certificates", &id);
	for bank in &banks {
		wait_for(
			&format!("certificate {id} finalized on {}", bank.spec.name),
			Duration::from_secs(30),
			|| {
				let head = bank.rpc("chain_getFinalizedHead", json!([])).ok()?;
				tx::storage_at(bank, &key, head.as_str()).map(|_| ())
			},
		);
	}

	// The stranger reached no one: nothing synced across the boundary.
	let stranger_best = stranger.best_number();
	assert_eq!(stranger_best, Some(0), "the unauthorised node synced\n{}", tails(&processes));
	let peers = stranger.rpc("system_health", json!([])).unwrap()["peers"].as_u64();
	assert_eq!(peers, Some(0), "the unauthorised node has peers");

	// Cut the WAN link: the supplier's node stalls while the banks go on.
	clouds.supplier_link(false);
	let (cut_bank, cut_supplier) =
		(banks[0].best_number().unwrap(), supplier.best_number().unwrap());
	std::thread::sleep(Duration::from_secs(12));
	let (bank_now, supplier_now) =
		(banks[0].best_number().unwrap(), supplier.best_number().unwrap());
	assert!(bank_now >= cut_bank + 4, "the banks stalled too: #{cut_bank} → #{bank_now}");
	assert!(
		supplier_now <= cut_supplier + 1,
		"the supplier's node went on without the WAN: #{cut_supplier} → #{supplier_now}"
	);

	// Heal it: the supplier's node catches up with the banks' finality.
	clouds.supplier_link(true);
	let healed = Instant::now();
	let target = banks[0].finalized_number().unwrap();
	wait_for(
		"the supplier's node to catch up after the link healed",
		Duration::from_secs(60),
		|| (supplier.finalized_number()? >= target).then_some(()),
	);
	eprintln!("caught up {:?} after healing; the banks had finalized #{target}", healed.elapsed());
	drop(processes);
	drop(clouds);
	remove_dir(&dir);
}
