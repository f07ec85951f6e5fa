//! A harness for end-to-end tests: talks JSON-RPC to real `scf-node`
//! processes on loopback, and either
//!
//! - attaches to **the shared test consortium** ([`shared`]) that
//!   `scripts/test.sh` starts once, through `scripts/start.sh --chain
//!   local-test`, for every suite: it hands the endpoints over in the file
//!   named by `SCF_CONSORTIUM` (start.sh's `endpoints.json`). Suites on it
//!   must not disturb each other: each test makes fresh participants
//!   ([`cast`]) and fresh certificates, and never stops a node; or
//! - starts nodes of its own ([`Consortium::start`]) for the
//!   tests that kill or partition nodes, and stops every process it started
//!   when it is dropped, also when a test panics.
#![allow(dead_code)]

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{Mutex, MutexGuard, OnceLock},
	time::{Duration, Instant},
};

use scf_runtime::genesis::{LocalNode, LOCAL_NODE_KEYS};
use serde_json::{json, Value};

/// End-to-end tests share two cores: run one private consortium at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Takes the machine for one test; a previous test's panic does not poison it.
pub fn exclusive() -> MutexGuard<'static, ()> {
	ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// The node binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_scf-node"))
}

/// A free TCP port on loopback (the OS picks it).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// How a node is started.
#[derive(Clone)]
pub struct NodeSpec {
	pub name: String,
	/// Hex ed25519 seed of the libp2p identity.
	pub node_key: String,
	/// `--alice`, `--bob`, ...: the validator's session keys; `None` for a
	/// non-validating node.
	pub validator_key: Option<&'static str>,
	pub p2p_port: u16,
	pub rpc_port: u16,
}

/// A running (or stopped) node: one this harness started, or one of the
/// shared consortium's, which it only talks to.
pub struct Node {
	pub spec: NodeSpec,
	pub base_path: PathBuf,
	child: Mutex<Option<Child>>,
	/// Started by someone else (`scripts/start.sh`): never stopped here.
	attached: bool,
	/// The address its RPC is reached at: loopback, or a test host's
	/// address in a network namespace ([`Node::attach_at`]).
	host: String,
	/// What its requests name in the HTTP `Host` header: `host`, or
	/// `localhost` through a tunnel ([`Node::attach_tunnelled`]).
	host_header: String,
}

impl Node {
	/// Starts the node with `chain`, its data under `base_path`, dialling
	/// `bootnodes`.
	pub fn start(spec: NodeSpec, chain: &str, base_path: PathBuf, bootnodes: &[String]) -> Node {
		let mut node = Node {
			spec,
			base_path,
			child: Default::default(),
			attached: false,
			host: "127.0.0.1".into(),
			host_header: "127.0.0.1".into(),
		};
		node.spawn(chain, bootnodes);
		node
	}

	/// A node somebody else runs, reached on `spec.rpc_port`.
	pub fn attach(spec: NodeSpec, base_path: PathBuf) -> Node {
		Self::attach_at(spec, base_path, "127.0.0.1")
	}

	/// A node somebody else runs, reached at `host:spec.rpc_port`.
	pub fn attach_at(spec: NodeSpec, base_path: PathBuf, host: &str) -> Node {
		let (host, host_header) = (host.into(), host.into());
		Node { spec, base_path, child: Default::default(), attached: true, host, host_header }
	}

	/// A node whose RPC listens on its own host's loopback, reached through
	/// a tunnel at `host:spec.rpc_port` (as an operator's `ssh -L` would):
	/// requests say `Host: localhost`, the only host the node's RPC admits.
	pub fn attach_tunnelled(spec: NodeSpec, base_path: PathBuf, host: &str) -> Node {
		let mut node = Self::attach_at(spec, base_path, host);
		node.host_header = "localhost".into();
		node
	}

	fn spawn(&mut self, chain: &str, bootnodes: &[String]) {
		std::fs::create_dir_all(&self.base_path).unwrap();
		let log = std::fs::File::create(self.base_path.join("node.log")).unwrap();
		let mut cmd = Command::new(node_binary());
		cmd.args(["--chain", chain])
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--name", &self.spec.name])
			.args(["--node-key", &self.spec.node_key])
			.args(["--rpc-port", &self.spec.rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.spec.p2p_port)])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.args(["--log", "info,runtime::node-authorization=debug"]);
		if let Some(key) = self.spec.validator_key {
			cmd.arg("--validator").arg(format!("--{key}"));
		}
		for b in bootnodes {
			cmd.args(["--bootnodes", b]);
		}
		cmd.stdin(Stdio::null()).stdout(log.try_clone().unwrap()).stderr(log);
		*self.child_mut() = Some(cmd.spawn().expect("the node binary starts"));
	}

	fn child_mut(&mut self) -> &mut Option<Child> {
		self.child.get_mut().unwrap_or_else(|e| e.into_inner())
	}

	/// Restarts a stopped node on the same data.
	pub fn restart(&mut self, chain: &str, bootnodes: &[String]) {
		assert!(!self.attached, "{} is the shared consortium's", self.spec.name);
		assert!(self.child_mut().is_none(), "{} is still running", self.spec.name);
		self.spawn(chain, bootnodes);
	}

	/// Kills the process at once (SIGKILL), as a crash would.
	pub fn kill_9(&mut self) {
		if let Some(mut child) = self.child_mut().take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Sends the process `signal` (`"STOP"`, `"CONT"`) with `kill(1)`: a
	/// paused node, as CometBFT's e2e harness pauses one.
	pub fn signal(&self, signal: &str) {
		let pid = self.child.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(Child::id);
		let pid = pid.unwrap_or_else(|| panic!("{} is not running", self.spec.name));
		let status = Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status();
		assert!(status.is_ok_and(|s| s.success()), "kill -{signal} {pid}");
	}

	/// Whether the process is still alive; for an attached node, whether it
	/// answers RPC.
	pub fn is_running(&self) -> bool {
		if self.attached {
			return self.rpc("system_health", json!([])).is_ok();
		}
		match self.child.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
			Some(c) => c.try_wait().map(|s| s.is_none()).unwrap_or(false),
			None => false,
		}
	}

	/// The multiaddress other nodes dial.
	pub fn multiaddr(&self, peer_id: &str) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.spec.p2p_port, peer_id)
	}

	/// One JSON-RPC call; `Err` when the node does not answer (yet).
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let timeout = Duration::from_secs(10);
		let (host, port) = (&self.host, self.spec.rpc_port);
		rpc_call_via(host, &self.host_header, port, None, method, params, timeout)
			.map_err(|e| format!("RPC error: {e}"))
	}

	/// Number of the finalized head, if the node answers.
	pub fn finalized_number(&self) -> Option<u64> {
		let hash = self.rpc("chain_getFinalizedHead", json!([])).ok()?;
		let header = self.rpc("chain_getHeader", json!([hash])).ok()?;
		parse_number(&header["number"])
	}

	/// Number of the best block, if the node answers.
	pub fn best_number(&self) -> Option<u64> {
		let header = self.rpc("chain_getHeader", json!([])).ok()?;
		parse_number(&header["number"])
	}

	/// Hash of the block at `number` on this node's chain.
	pub fn block_hash(&self, number: u64) -> Option<String> {
		self.rpc("chain_getBlockHash", json!([number])).ok()?.as_str().map(str::to_owned)
	}

	/// The last lines of the node's log, for failure messages.
	pub fn log_tail(&self, lines: usize) -> String {
		let text = std::fs::read_to_string(self.base_path.join("node.log")).unwrap_or_default();
		let all: Vec<&str> = text.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill_9();
	}
}

fn parse_number(v: &Value) -> Option<u64> {
	u64::from_str_radix(v.as_str()?.trim_start_matches("0x"), 16).ok()
}

/// A JSON-RPC call over plain HTTP/1.1 to loopback.
pub fn rpc_call(port: u16, method: &str, params: Value) -> Result<Value, String> {
	match rpc_call_as(port, None, method, params, Duration::from_secs(10)) {
		Ok(result) => Ok(result),
		Err(e) => Err(format!("RPC error: {e}")),
	}
}

/// A JSON-RPC call with an optional `X-Api-Key` header: the result, or the
/// error object (a transport failure as `{ "transport": MESSAGE }`).
pub fn rpc_call_as(
	port: u16,
	key: Option<&str>,
	method: &str,
	params: Value,
	timeout: Duration,
) -> Result<Value, Value> {
	rpc_call_at("127.0.0.1", port, key, method, params, timeout)
}

/// [`rpc_call_as`] to `host:port`.
pub fn rpc_call_at(
	host: &str,
	port: u16,
	key: Option<&str>,
	method: &str,
	params: Value,
	timeout: Duration,
) -> Result<Value, Value> {
	rpc_call_via(host, host, port, key, method, params, timeout)
}

/// [`rpc_call_at`], naming `host_header` in the HTTP `Host` header.
pub fn rpc_call_via(
	host: &str,
	host_header: &str,
	port: u16,
	key: Option<&str>,
	method: &str,
	params: Value,
	timeout: Duration,
) -> Result<Value, Value> {
	let transport = |e: String| json!({ "transport": e });
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let addr: std::net::SocketAddr =
		format!("{host}:{port}").parse().map_err(|e| transport(format!("{host}: {e}")))?;
	let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
		.map_err(|e| transport(e.to_string()))?;
	stream.set_read_timeout(Some(timeout)).map_err(|e| transport(e.to_string()))?;
	let auth = key.map(|k| format!("X-Api-Key: {k}\r\n")).unwrap_or_default();
	let request = format!(
		"POST / HTTP/1.1\r\nHost: {host_header}:{port}\r\nContent-Type: application/json\r\n{auth}\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).map_err(|e| transport(e.to_string()))?;
	let mut response = String::new();
	stream.read_to_string(&mut response).map_err(|e| transport(e.to_string()))?;
	let (_, payload) =
		response.split_once("\r\n\r\n").ok_or_else(|| transport("no HTTP body".into()))?;
	let value: Value =
		serde_json::from_str(payload).map_err(|e| transport(format!("{e}: {payload}")))?;
	match value.get("result") {
		Some(result) => Ok(result.clone()),
		None => Err(value["error"].clone()),
	}
}

/// Signs `payload` with OpenSSL 3 (`openssl dgst -sm3 -sign`) using the key
/// in `key_pem`; `distid` is the user id, `None` for OpenSSL's default (an
/// empty id). Returns OpenSSL's DER signature.
pub fn openssl_sign(
	dir: &std::path::Path,
	key_pem: &str,
	payload: &[u8],
	distid: Option<&str>,
) -> Vec<u8> {
	let (key, msg, sig) = (dir.join("key.pem"), dir.join("payload.bin"), dir.join("payload.sig"));
	std::fs::write(&key, key_pem).unwrap();
	std::fs::write(&msg, payload).unwrap();
	let mut cmd = std::process::Command::new("openssl");
	cmd.args(["dgst", "-sm3", "-sign"]).arg(&key);
	if let Some(id) = distid {
		cmd.args(["-sigopt", &format!("distid:{id}")]);
	}
	let out = cmd.arg("-out").arg(&sig).arg(&msg).output().expect("the `openssl` command runs");
	assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
	std::fs::read(&sig).unwrap()
}

/// Polls `check` every 500 ms until it returns `Some`, or fails the test with
/// `what` after `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
	let start = Instant::now();
	loop {
		if let Some(v) = check() {
			return v;
		}
		if start.elapsed() > limit {
			panic!("timed out after {limit:?} waiting for {what}");
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

/// Waits until the finalized head of every node reaches `number`; fails at
/// once if one exits.
pub fn wait_finalized_on(nodes: &[Node], number: u64, limit: Duration) {
	let start = Instant::now();
	loop {
		let numbers: Vec<Option<u64>> = nodes.iter().map(|n| n.finalized_number()).collect();
		if numbers.iter().all(|n| n.map_or(false, |n| n >= number)) {
			return;
		}
		for node in nodes {
			assert!(node.is_running(), "{} exited:\n{}", node.spec.name, node.log_tail(30));
		}
		if start.elapsed() > limit {
			let tails: Vec<String> =
				nodes.iter().map(|n| format!("--- {}\n{}", n.spec.name, n.log_tail(15))).collect();
			panic!(
				"finalized heads {numbers:?} did not all reach #{number} in {limit:?}\n{}",
				tails.join("\n")
			);
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

/// The shared test consortium: `scripts/start.sh --chain local-test`'s five
/// nodes (four bank validators, then the supplier node), as its
/// `endpoints.json` describes them.
pub struct Shared {
	pub nodes: Vec<Node>,
	/// The raw chain spec every node runs (for offline commands such as
	/// `import-blocks`).
	pub chain_spec: PathBuf,
	/// The database of the indexer start.sh runs on the supplier node.
	pub indexer_database: Option<PathBuf>,
}

impl Shared {
	/// bank-a, the node suites submit to unless they say otherwise.
	pub fn node(&self) -> &Node {
		&self.nodes[0]
	}
}

/// The shared consortium named by `SCF_CONSORTIUM`; panics, saying how to
/// start one, when the variable is unset or the file is not what start.sh
/// writes.
pub fn shared() -> &'static Shared {
	static SHARED: OnceLock<Shared> = OnceLock::new();
	SHARED.get_or_init(|| {
		let path = std::env::var_os("SCF_CONSORTIUM").unwrap_or_else(|| {
			panic!(
				"SCF_CONSORTIUM is not set. These tests run on the shared test consortium: \
				 run scripts/test.sh, or start one with `scripts/start.sh --no-build --chain \
				 local-test` and set SCF_CONSORTIUM to the endpoints.json it prints"
			)
		});
		let text = std::fs::read_to_string(&path)
			.unwrap_or_else(|e| panic!("SCF_CONSORTIUM={}: {e}", Path::new(&path).display()));
		let json: Value = serde_json::from_str(&text)
			.unwrap_or_else(|e| panic!("SCF_CONSORTIUM={}: {e}", Path::new(&path).display()));
		let field = |v: &Value, name: &str| -> Value {
			v.get(name).cloned().unwrap_or_else(|| panic!("endpoints.json: no `{name}` in {v}"))
		};
		let nodes = field(&json, "nodes")
			.as_array()
			.expect("endpoints.json: `nodes` is a list")
			.iter()
			.map(|n| {
				let port = |name| field(n, name).as_u64().expect("a port number") as u16;
				let name = field(n, "name").as_str().expect("a node name").to_string();
				let key = LOCAL_NODE_KEYS.iter().find(|k| k.name == name);
				let spec = NodeSpec {
					node_key: key.map(|k| k.node_key.to_string()).unwrap_or_default(),
					validator_key: None,
					p2p_port: port("p2p_port"),
					rpc_port: port("rpc_port"),
					name,
				};
				let base = PathBuf::from(field(n, "base_path").as_str().expect("a folder"));
				Node::attach(spec, base)
			})
			.collect::<Vec<_>>();
		assert_eq!(nodes.len(), LOCAL_NODE_KEYS.len(), "endpoints.json: five nodes");
		let chain_spec = PathBuf::from(field(&json, "chain_spec").as_str().expect("a path"));
		let indexer_database =
			json.pointer("/indexer/database").and_then(Value::as_str).map(PathBuf::from);
		Shared { nodes, chain_spec, indexer_database }
	})
}

/// The local consortium (`--chain local`): four bank validators and the
/// supplier node, with the development node keys authorised in genesis.
pub struct Consortium {
	pub dir: PathBuf,
	pub nodes: Vec<Node>,
}

/// Validator session keys of the four banks, in [`LOCAL_NODE_KEYS`] order.
pub const BANK_KEYS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

impl Consortium {
	/// Starts all five nodes under a fresh folder named after the test.
	pub fn start(test: &str) -> Consortium {
		let dir = scratch_dir(test);
		let specs: Vec<NodeSpec> = LOCAL_NODE_KEYS
			.iter()
			.enumerate()
			.map(|(i, n)| NodeSpec {
				name: n.name.to_string(),
				node_key: n.node_key.to_string(),
				validator_key: n.validator.then(|| BANK_KEYS[i]),
				p2p_port: free_port(),
				rpc_port: free_port(),
			})
			.collect();
		let boot =
			format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", specs[0].p2p_port, LOCAL_NODE_KEYS[0].peer_id);
		let nodes = specs
			.into_iter()
			.map(|spec| {
				let base = dir.join(&spec.name);
				let boots =
					if spec.name == LOCAL_NODE_KEYS[0].name { vec![] } else { vec![boot.clone()] };
				Node::start(spec, "local", base, &boots)
			})
			.collect();
		Consortium { dir, nodes }
	}

	/// The bootnode address every node dials: bank-a.
	pub fn bootnodes(&self) -> Vec<String> {
		vec![self.nodes[0].multiaddr(LOCAL_NODE_KEYS[0].peer_id)]
	}

	/// Waits until every running node's finalized head reaches `number`.
	pub fn wait_finalized_on_all(&mut self, number: u64, limit: Duration) {
		wait_finalized_on(&self.nodes, number, limit)
	}

	/// The node description of node `i` in genesis.
	pub fn genesis_node(i: usize) -> &'static LocalNode {
		&LOCAL_NODE_KEYS[i]
	}
}

impl Drop for Consortium {
	fn drop(&mut self) {
		for node in self.nodes.iter_mut() {
			node.kill_9();
		}
		if !std::thread::panicking() {
			let _ = std::fs::remove_dir_all(&self.dir);
		} else {
			eprintln!("node logs kept under {}", self.dir.display());
		}
	}
}

/// The Aura slot of a block header, read from its pre-runtime digest
/// (`0x06` PreRuntime, engine `aura`, SCALE-encoded `u64` slot).
pub fn aura_slot(header: &Value) -> Option<u64> {
	for log in header["digest"]["logs"].as_array()? {
		let bytes = hex_decode(log.as_str()?)?;
		if bytes.len() == 14 && bytes[0] == 6 && &bytes[1..5] == b"aura" && bytes[5] == 0x20 {
			return Some(u64::from_le_bytes(bytes[6..14].try_into().ok()?));
		}
	}
	None
}

pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
	let s = s.trim_start_matches("0x");
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// Folder helper for tests that start single nodes.
pub fn scratch_dir(test: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("scf-e2e-{test}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

/// Removes a folder, ignoring errors.
pub fn remove_dir(dir: &Path) {
	let _ = std::fs::remove_dir_all(dir);
}

/// Signing and submitting transactions with the runtime's own types.
pub mod tx {
	use super::*;
	use codec::{Decode, Encode};
	use scf_runtime::{RuntimeCall, UncheckedExtrinsic};
	use sp_core::{sr25519, Pair, H256};

	/// The chain's genesis hash, as the node reports it.
	pub fn genesis_hash(node: &Node) -> H256 {
		let hex = node.block_hash(0).expect("genesis hash");
		H256::from_slice(&hex_decode(&hex).expect("hex"))
	}

	/// The account's next nonce, counting its transactions in the pool.
	pub fn next_nonce(node: &Node, who: &sr25519::Pair) -> u32 {
		let account = scf_runtime::AccountId::from(who.public()).to_string();
		node.rpc("system_accountNextIndex", json!([account])).unwrap().as_u64().unwrap() as u32
	}

	/// The `spec_version` of the node's runtime at its best block (what a
	/// transaction signs: it changes with a runtime upgrade).
	pub fn spec_version(node: &Node) -> u32 {
		let version = node.rpc("state_getRuntimeVersion", json!([])).expect("a runtime version");
		version["specVersion"].as_u64().expect("a spec version") as u32
	}

	/// The chain a transaction is signed for: its genesis and its runtime's
	/// spec version.
	#[derive(Clone, Copy)]
	pub struct Chain {
		pub genesis: H256,
		pub spec_version: u32,
	}

	impl Chain {
		pub fn of(node: &Node) -> Chain {
			Chain { genesis: genesis_hash(node), spec_version: spec_version(node) }
		}
	}

	/// A signed, immortal extrinsic of `call` by `signer` with `nonce`.
	pub fn signed(
		call: RuntimeCall,
		signer: &sr25519::Pair,
		nonce: u32,
		chain: Chain,
	) -> UncheckedExtrinsic {
		let who = scf_runtime::AccountId::from(signer.public());
		scf_runtime::signing::signed_extrinsic_for(
			chain.spec_version,
			call,
			who,
			nonce,
			chain.genesis,
			|bytes| signer.sign(bytes).into(),
		)
	}

	/// Signs `call` with the signer's next nonce and submits it; returns the
	/// node's answer (the transaction hash, or the pool's refusal).
	pub fn submit(node: &Node, signer: &sr25519::Pair, call: RuntimeCall) -> Result<Value, String> {
		let xt = signed(call, signer, next_nonce(node, signer), Chain::of(node));
		node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex_encode(&xt.encode()))]))
	}

	/// Calls a runtime API function at the best block and decodes its answer.
	pub fn runtime_call<R: Decode>(node: &Node, function: &str, args: impl Encode) -> R {
		try_runtime_call(node, function, args).unwrap_or_else(|e| panic!("{function}: {e}"))
	}

	/// [`runtime_call`], or why the node did not answer (it may be busy: the
	/// first call after a runtime upgrade waits for the new Wasm to compile,
	/// which can outlast the RPC timeout). An answer that does not decode
	/// still panics.
	pub fn try_runtime_call<R: Decode>(
		node: &Node,
		function: &str,
		args: impl Encode,
	) -> Result<R, String> {
		let answer =
			node.rpc("state_call", json!([function, format!("0x{}", hex_encode(&args.encode()))]))?;
		let bytes = hex_decode(answer.as_str().unwrap()).unwrap();
		Ok(R::decode(&mut &bytes[..]).unwrap_or_else(|e| panic!("{function}: cannot decode: {e}")))
	}

	/// The account's nonce on chain (transactions included in the best block).
	pub fn chain_nonce(node: &Node, who: &sr25519::Pair) -> u32 {
		try_chain_nonce(node, who).unwrap_or_else(|e| panic!("AccountNonceApi_account_nonce: {e}"))
	}

	/// [`chain_nonce`], or why the node did not answer.
	pub fn try_chain_nonce(node: &Node, who: &sr25519::Pair) -> Result<u32, String> {
		try_runtime_call(
			node,
			"AccountNonceApi_account_nonce",
			scf_runtime::AccountId::from(who.public()),
		)
	}

	pub fn hex_encode(bytes: &[u8]) -> String {
		bytes.iter().map(|b| format!("{b:02x}")).collect()
	}

	/// Submits `calls` signed by `signer` with consecutive nonces, then waits
	/// until all are included. Whether each dispatch succeeded is for the
	/// caller to check in state.
	pub fn submit_all_and_include(node: &Node, signer: &sr25519::Pair, calls: Vec<RuntimeCall>) {
		let who = scf_runtime::AccountId::from(signer.public());
		let before = chain_nonce(node, signer);
		let (first, chain) = (next_nonce(node, signer), Chain::of(node));
		let n = calls.len() as u32;
		for (i, call) in calls.into_iter().enumerate() {
			let xt = signed(call, signer, first + i as u32, chain);
			node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex_encode(&xt.encode()))]))
				.unwrap_or_else(|e| panic!("{who}'s transaction refused: {e}"));
		}
		wait_for(
			&format!("{who}'s {n} transactions to be included"),
			Duration::from_secs(60),
			|| (try_chain_nonce(node, signer).ok()? >= before + n).then_some(()),
		);
	}

	/// Submits one call and waits until it is included.
	pub fn submit_and_include(node: &Node, signer: &sr25519::Pair, call: RuntimeCall) {
		submit_all_and_include(node, signer, vec![call])
	}

	/// The raw value at `key` in the best block's state.
	pub fn storage(node: &Node, key: &[u8]) -> Option<Vec<u8>> {
		storage_at(node, key, None)
	}

	/// The key of `pallet::item[k]` in a `Blake2_128Concat` map.
	pub fn blake2_map_key(pallet: &str, item: &str, k: &impl Encode) -> Vec<u8> {
		let mut key = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
		key.extend(sp_io::hashing::twox_128(item.as_bytes()));
		let encoded = k.encode();
		key.extend(sp_io::hashing::blake2_128(&encoded));
		key.extend(encoded);
		key
	}

	/// The key of `pallet::item[k]` in a `Twox64Concat` map.
	pub fn twox64_map_key(pallet: &str, item: &str, k: &impl Encode) -> Vec<u8> {
		let mut key = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
		key.extend(sp_io::hashing::twox_128(item.as_bytes()));
		let encoded = k.encode();
		key.extend(sp_io::hashing::twox_64(&encoded));
		key.extend(encoded);
		key
	}

	/// How much of `core`'s credit lines is in use (`Participants::Lines`).
	pub fn credit_used(node: &Node, core: &scf_runtime::AccountId) -> scf_runtime::Amount {
		let key = blake2_map_key("Participants", "Lines", core);
		let Some(bytes) = storage(node, &key) else { return 0 };
		let lines =
			Vec::<pallet_participants::CreditLine<scf_runtime::AccountId>>::decode(&mut &bytes[..])
				.expect("credit lines decode");
		lines.iter().map(|l| l.used).sum()
	}

	/// The storage value at `key` in block `at` (the best block when `None`).
	pub fn storage_at(node: &Node, key: &[u8], at: Option<&str>) -> Option<Vec<u8>> {
		let key = format!("0x{}", hex_encode(key));
		let params = match at {
			Some(hash) => json!([key, hash]),
			None => json!([key]),
		};
		hex_decode(node.rpc("state_getStorage", params).ok()?.as_str()?)
	}

	/// Financing request `id` as stored in block `at` (the best block when
	/// `None`).
	pub fn financing_request(
		node: &Node,
		id: u64,
		at: Option<&str>,
	) -> Option<pallet_financing::RequestOf<scf_runtime::Runtime>> {
		let bytes = storage_at(node, &twox64_map_key("Financing", "Requests", &id), at)?;
		Some(Decode::decode(&mut &bytes[..]).expect("a request decodes"))
	}

	/// The open financing request on certificate `id` (`Financing::OpenRequest`).
	pub fn open_request(node: &Node, id: u64) -> Option<u64> {
		let bytes = storage_at(node, &twox64_map_key("Financing", "OpenRequest", &id), None)?;
		Some(u64::decode(&mut &bytes[..]).expect("a request id"))
	}

	/// The time now, in ms since the Unix epoch (the chain's clock).
	pub fn now_ms() -> u64 {
		std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
			as u64
	}
}

/// Fresh participants for a test on the shared consortium, admitted by one
/// of the cast's banks (each an operator and a financier).
///
/// Suites (test binaries) run one after another, but the tests of a suite
/// run in parallel: this module serialises a process's bank transactions,
/// so their nonces never race. To stay out of each other's way, each suite
/// admits through a bank of its own: the ledger suite Bob (bank B), the SM2
/// suite Charlie (bank C), later suites Dave and Alice.
pub mod cast {
	use super::{tx::*, *};
	use scf_primitives::Role;
	use scf_runtime::{AccountId, Amount, RuntimeCall};
	use sp_core::{sr25519, Pair};
	use sp_keyring::Sr25519Keyring;
	use std::sync::atomic::{AtomicU32, Ordering};

	static BANK_SUBMISSIONS: Mutex<()> = Mutex::new(());

	/// An sr25519 key no one else has: derived from the label, this process
	/// and a counter.
	pub fn fresh_pair(label: &str) -> sr25519::Pair {
		static COUNTER: AtomicU32 = AtomicU32::new(0);
		let n = COUNTER.fetch_add(1, Ordering::Relaxed);
		let uri = format!("//scf-e2e//{label}//{}//{}//{n}", std::process::id(), now_ms());
		sr25519::Pair::from_string(&uri, None).expect("a valid derivation path")
	}

	/// The account of an sr25519 key.
	pub fn account(pair: &sr25519::Pair) -> AccountId {
		AccountId::from(pair.public())
	}

	/// A valid unified social credit code of its own for `who`, from a range
	/// no preset uses.
	fn code_for(who: &AccountId) -> [u8; 18] {
		use codec::Encode;
		let digest = sp_io::hashing::blake2_256(&who.encode());
		let n = u32::from_le_bytes(digest[..4].try_into().unwrap());
		pallet_participants::uscc::synthetic(500_000_000 + n % 400_000_000)
	}

	/// `bank` admits each account with its role, in one run of consecutive
	/// transactions; panics unless every one is a participant afterwards.
	pub fn admit(node: &Node, bank: Sr25519Keyring, members: &[(AccountId, Role)]) {
		let calls = members
			.iter()
			.map(|(who, role)| {
				RuntimeCall::Participants(pallet_participants::Call::admit {
					who: who.clone(),
					name: format!("e2e {role:?} {}", &who.to_string()[..8])
						.into_bytes()
						.try_into()
						.unwrap(),
					uscc: code_for(who),
					roles: vec![*role].try_into().unwrap(),
				})
			})
			.collect();
		let _bank = BANK_SUBMISSIONS.lock().unwrap_or_else(|e| e.into_inner());
		submit_all_and_include(node, &bank.pair(), calls);
		for (who, role) in members {
			let key = blake2_map_key("Participants", "Participants", who);
			assert!(storage(node, &key).is_some(), "{bank:?} did not admit {who} as {role:?}");
		}
	}

	/// Fresh sr25519 participants, one per role, admitted by `bank`.
	pub fn admit_fresh(
		node: &Node,
		bank: Sr25519Keyring,
		label: &str,
		roles: &[Role],
	) -> Vec<sr25519::Pair> {
		let pairs: Vec<sr25519::Pair> = roles.iter().map(|_| fresh_pair(label)).collect();
		let members: Vec<(AccountId, Role)> =
			pairs.iter().zip(roles).map(|(p, r)| (account(p), *r)).collect();
		admit(node, bank, &members);
		pairs
	}

	/// `bank` submits `calls` as consecutive transactions and waits for their
	/// inclusion, under the same lock as [`admit`] and [`grant_line`]: a test
	/// that signs as its suite's bank must go through here, or its nonces race
	/// with a parallel test's admissions ("Priority is too low").
	pub fn submit_as_bank(node: &Node, bank: Sr25519Keyring, calls: Vec<RuntimeCall>) {
		let _bank = BANK_SUBMISSIONS.lock().unwrap_or_else(|e| e.into_inner());
		submit_all_and_include(node, &bank.pair(), calls);
	}

	/// `bank`, as financier, grants `core` a credit line of `limit` for a year.
	pub fn grant_line(node: &Node, bank: Sr25519Keyring, core: &AccountId, limit: Amount) {
		let call = RuntimeCall::Participants(pallet_participants::Call::grant_credit_line {
			core: core.clone(),
			limit,
			expires_at: now_ms() + 365 * 24 * 3_600_000,
		});
		let _bank = BANK_SUBMISSIONS.lock().unwrap_or_else(|e| e.into_inner());
		submit_and_include(node, &bank.pair(), call);
		let key = blake2_map_key("Participants", "Lines", core);
		assert!(storage(node, &key).is_some(), "{bank:?} granted {core} no credit line");
	}
}

/// The indexer (`scf-indexer`, built beside the node) as a process of the
/// test's own, for the suites that check it against the chain.
pub mod indexer {
	use super::*;

	/// A running `scf-indexer`, killed when dropped.
	pub struct Indexer {
		pub child: Child,
		pub rpc_port: u16,
		pub dir: PathBuf,
	}

	impl Indexer {
		/// Starts one into `dir/index.sqlite`, logging to `dir/indexer.log`.
		pub fn start(dir: &PathBuf, node: &Node, rpc_port: u16) -> Indexer {
			Self::start_on(dir, node, rpc_port, &dir.join("index.sqlite").display().to_string())
		}

		/// Starts one into `database` (a SQLite path or a `postgres://` URL,
		/// created if missing), logging to `dir/indexer-PORT.log`.
		pub fn start_on(dir: &PathBuf, node: &Node, rpc_port: u16, database: &str) -> Indexer {
			let binary = node_binary().with_file_name("scf-indexer");
			assert!(binary.exists(), "no {} (scripts/test.sh builds it)", binary.display());
			let log = std::fs::OpenOptions::new()
				.create(true)
				.append(true)
				.open(dir.join(format!("indexer-{rpc_port}.log")))
				.unwrap();
			let child = Command::new(binary)
				.args(["--node", &format!("ws://127.0.0.1:{}", node.spec.rpc_port)])
				.args(["--database", database, "--create-database"])
				.args(["--rpc-addr", &format!("127.0.0.1:{rpc_port}"), "--no-prometheus"])
				.stdin(Stdio::null())
				.stdout(log.try_clone().unwrap())
				.stderr(log)
				.spawn()
				.expect("scf-indexer starts");
			Indexer { child, rpc_port, dir: dir.clone() }
		}

		pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
			rpc_call(self.rpc_port, method, params)
		}

		/// Waits until the indexer has indexed block `n`.
		pub fn wait_indexed(&self, n: u64) {
			wait_for(&format!("the indexer to reach #{n}"), Duration::from_secs(90), || {
				let status = self.call("indexer_status", json!({})).ok()?;
				(status["indexed"].as_u64()? >= n).then_some(())
			});
		}

		pub fn log(&self) -> String {
			std::fs::read_to_string(self.dir.join(format!("indexer-{}.log", self.rpc_port)))
				.unwrap_or_default()
		}
	}

	impl Drop for Indexer {
		fn drop(&mut self) {
			let _ = self.child.kill();
			let _ = self.child.wait();
		}
	}
}

/// The web bridge (`scf-bridge`, built beside the node) as a process of the
/// test's own, with its own database under the test's folder.
pub mod bridge {
	use super::*;

	/// The custody master secret of the test bridges.
	pub const MASTER_KEY: &str = "the test consortium's bridge master secret";

	pub fn binary() -> PathBuf {
		let binary = node_binary().with_file_name("scf-bridge");
		assert!(binary.exists(), "no {} (scripts/test.sh builds it)", binary.display());
		binary
	}

	/// Runs an admin command (`key …`, `custody …`) on the bridge database
	/// in `dir`; its standard output.
	pub fn admin(dir: &Path, args: &[&str]) -> String {
		let out = Command::new(binary())
			.arg("--database")
			.arg(dir.join("bridge.sqlite"))
			.args(args)
			.env("SCF_BRIDGE_MASTER_KEY", MASTER_KEY)
			.output()
			.expect("scf-bridge runs");
		assert!(
			out.status.success(),
			"scf-bridge {args:?}: {}",
			String::from_utf8_lossy(&out.stderr)
		);
		String::from_utf8(out.stdout).unwrap().trim().to_string()
	}

	/// Seals `secret` (`sm2:HEX` or `sr25519:URI`) as a custodial key and
	/// makes an API key for its account; returns the API key.
	pub fn enrol(dir: &Path, name: &str, secret: &str) -> String {
		let file = dir.join(format!("{name}.key"));
		std::fs::write(&file, secret).unwrap();
		let account = admin(dir, &["custody", "add", "--key-file", file.to_str().unwrap()]);
		std::fs::remove_file(&file).unwrap();
		admin(dir, &["key", "add", "--participant", &account, "--label", name])
	}

	/// A running `scf-bridge serve`, killed when dropped.
	pub struct Bridge {
		pub child: Child,
		pub port: u16,
		pub dir: PathBuf,
	}

	impl Bridge {
		pub fn start(dir: &Path, node: &Node, indexer_database: &Path, port: u16) -> Bridge {
			Self::start_with(dir, node, indexer_database, port, &[])
		}

		/// As [`Bridge::start`], with more `serve` options (`--wallet-dir …`).
		pub fn start_with(
			dir: &Path,
			node: &Node,
			indexer_database: &Path,
			port: u16,
			more: &[&str],
		) -> Bridge {
			let log = std::fs::OpenOptions::new()
				.create(true)
				.append(true)
				.open(dir.join("bridge.log"))
				.unwrap();
			let child = Command::new(binary())
				.arg("--database")
				.arg(dir.join("bridge.sqlite"))
				.arg("serve")
				.args(["--node", &format!("ws://127.0.0.1:{}", node.spec.rpc_port)])
				.arg("--indexer-database")
				.arg(indexer_database)
				.args([
					"--listen",
					&format!("127.0.0.1:{port}"),
					"--burst",
					"1000",
					"--rate",
					"500",
				])
				.args(more)
				.env("SCF_BRIDGE_MASTER_KEY", MASTER_KEY)
				.stdin(Stdio::null())
				.stdout(log.try_clone().unwrap())
				.stderr(log)
				.spawn()
				.expect("scf-bridge starts");
			let bridge = Bridge { child, port, dir: dir.to_path_buf() };
			wait_for("the bridge to listen", Duration::from_secs(30), || {
				TcpStream::connect(("127.0.0.1", port)).ok().map(|_| ())
			});
			bridge
		}

		/// A call as the holder of API key `key`: the result or the error object.
		pub fn call(&self, key: &str, method: &str, params: Value) -> Result<Value, Value> {
			rpc_call_as(self.port, Some(key), method, params, Duration::from_secs(120))
		}

		pub fn log(&self) -> String {
			std::fs::read_to_string(self.dir.join("bridge.log")).unwrap_or_default()
		}
	}

	impl Drop for Bridge {
		fn drop(&mut self) {
			let _ = self.child.kill();
			let _ = self.child.wait();
		}
	}
}
