//! The consortium description (JSON) and the checks it must pass before
//! anything is generated. Every refusal names the entry it is about.

use scf_primitives::{AccountId, Amount, Moment, Role};
use serde::Deserialize;
use sp_core::crypto::Ss58Codec;
use std::collections::{BTreeMap, BTreeSet};

/// What the generator reads: the chain's name and id, its launch time and
/// time parameters, the participants, the council, the credit lines and the
/// nodes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
	/// The chain's human name, e.g. "华东供应链金融联盟".
	pub name: String,
	/// The chain id: lower-case ASCII letters, digits and `_`; it names the
	/// folder under each node's `chains/`.
	pub id: String,
	/// The ledger's time at genesis, ms since 1970 (the launch time).
	pub genesis_time: Moment,
	/// The ledger's time parameters; each one left out keeps the runtime's
	/// default. A test consortium shortens them.
	#[serde(default)]
	pub time: TimeParameters,
	pub participants: Vec<ParticipantEntry>,
	/// Keys of the participants that hold the banks' council seats.
	pub council: Vec<String>,
	#[serde(default)]
	pub credit_lines: Vec<CreditLineEntry>,
	pub nodes: Vec<NodeEntry>,
}

/// The runtime's storage parameters a chain spec may set (ms).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeParameters {
	pub acceptance_timeout: Option<Moment>,
	pub overdue_grace: Option<Moment>,
	pub timer_granularity: Option<Moment>,
	pub max_tenor: Option<Moment>,
}

/// A participant admitted at genesis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantEntry {
	/// How the rest of the description refers to it, e.g. `bank-a`.
	pub key: String,
	/// Legal name.
	pub name: String,
	/// Unified social credit code (GB 32100, 18 characters).
	pub uscc: String,
	/// SS58 address, or 0x and 64 hex digits (an SM2 account id).
	pub account: String,
	/// `operator`, `financier`, `core_enterprise`, `supplier`, `regulator`.
	pub roles: Vec<String>,
}

/// A credit line granted at genesis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditLineEntry {
	/// Participant key of a financier.
	pub financier: String,
	/// Participant key of a core enterprise.
	pub core: String,
	/// Limit in fen.
	pub limit: Amount,
	/// Expiry, ms since 1970.
	pub expires_at: Moment,
}

/// A node: a bank's validator, or a full node (a supplier's, or a bank's
/// RPC node); `archive` keeps all state, as the indexer's node must.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeEntry {
	/// Node name (also its folder in the output).
	pub name: String,
	/// Participant key of the owner (the bank of a validator).
	pub owner: String,
	/// `validator`, `full` or `archive`.
	pub role: String,
	/// The IPv4 address other nodes dial it at, and it listens on.
	pub address: std::net::Ipv4Addr,
	pub p2p_port: u16,
	pub rpc_port: u16,
	/// Prometheus port (on loopback); default the node's 9615.
	#[serde(default)]
	pub prometheus_port: Option<u16>,
	/// Listen for RPC on every interface (`--rpc-external`), for a full
	/// node whose RPC serves other hosts (the bridge's, the indexer's);
	/// otherwise loopback only. Refused on a validator.
	#[serde(default)]
	pub rpc_external: bool,
	/// How this node reaches other nodes when not at their `address`
	/// (another cloud, through a NAT or relay): node name → `ip:port`.
	#[serde(default)]
	pub dial: BTreeMap<String, std::net::SocketAddrV4>,
}

/// What a node does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRole {
	Validator,
	Full,
	Archive,
}

/// Why a description is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum DescriptionError {
	/// Not JSON of the expected shape.
	Malformed(String),
	BadChainId(String),
	BadNodeName(String),
	ZeroGenesisTime,
	Duplicate {
		what: &'static str,
		key: String,
	},
	DuplicateAccount {
		first: String,
		second: String,
	},
	DuplicateUscc {
		first: String,
		second: String,
	},
	BadAccount {
		entry: String,
		reason: String,
	},
	BadUscc {
		entry: String,
		reason: String,
	},
	UnknownRole {
		entry: String,
		role: String,
	},
	NoRole {
		entry: String,
	},
	UnknownParticipant {
		entry: String,
		key: String,
	},
	MissingRole {
		entry: String,
		key: String,
		role: &'static str,
	},
	UnknownNode {
		entry: String,
		node: String,
	},
	FewerValidators {
		count: usize,
	},
	ValidatorRpcExternal(String),
	EmptyCouncil,
}

impl std::fmt::Display for DescriptionError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		use DescriptionError::*;
		match self {
			Malformed(e) => write!(f, "the description is not valid: {e}"),
			BadChainId(id) => write!(
				f,
				"chain id {id:?}: use lower-case letters, digits and '_' (it names a folder)"
			),
			BadNodeName(name) => write!(
				f,
				"node name {name:?}: use ASCII letters, digits, '-' and '_' (it names a folder \
				 and goes on the node's command line)"
			),
			ZeroGenesisTime => write!(
				f,
				"genesis_time is 0: set the launch time in ms since 1970 (the timers start there)"
			),
			Duplicate { what, key } => write!(f, "{what} {key:?} appears twice"),
			DuplicateAccount { first, second } => {
				write!(f, "participants {first:?} and {second:?} have the same account")
			},
			DuplicateUscc { first, second } => {
				write!(f, "participants {first:?} and {second:?} have the same USCC")
			},
			BadAccount { entry, reason } => write!(f, "participant {entry:?}: account {reason}"),
			BadUscc { entry, reason } => write!(f, "participant {entry:?}: USCC {reason}"),
			UnknownRole { entry, role } => write!(
				f,
				"{entry}: unknown role {role:?} (participants: operator, financier, \
				 core_enterprise, supplier, regulator; nodes: validator, full, archive)"
			),
			NoRole { entry } => write!(f, "participant {entry:?} has no role"),
			UnknownParticipant { entry, key } => {
				write!(f, "{entry} names participant {key:?}, which the description lacks")
			},
			MissingRole { entry, key, role } => {
				write!(f, "{entry}: participant {key:?} is not a {role}")
			},
			UnknownNode { entry, node } => {
				write!(f, "node {entry:?} dials node {node:?}, which the description lacks")
			},
			FewerValidators { count } => write!(
				f,
				"{count} validator(s): GRANDPA needs at least four to survive one failure \
				 (pass --allow-fewer-validators for a test chain)"
			),
			ValidatorRpcExternal(name) => write!(
				f,
				"node {name:?}: a validator's RPC stays on loopback (the node refuses \
				 --rpc-external on a validator); serve RPC from a full node"
			),
			EmptyCouncil => write!(f, "the council has no seats: name at least one bank"),
		}
	}
}

impl std::error::Error for DescriptionError {}

/// A participant as checked: its account decoded, roles parsed.
#[derive(Clone, Debug)]
pub struct Participant {
	pub key: String,
	pub name: String,
	pub uscc: String,
	pub account: AccountId,
	pub roles: Vec<Role>,
}

/// A description that passed every check.
#[derive(Debug)]
pub struct Checked {
	pub name: String,
	pub id: String,
	pub genesis_time: Moment,
	pub time: TimeParameters,
	pub participants: Vec<Participant>,
	pub council: Vec<AccountId>,
	/// (financier, core, limit, expires_at)
	pub credit_lines: Vec<(AccountId, AccountId, Amount, Moment)>,
	/// Each node with its role and its owner's account.
	pub nodes: Vec<(NodeEntry, NodeRole, AccountId)>,
}

fn parse_role(entry: &str, role: &str) -> Result<Role, DescriptionError> {
	Ok(match role {
		"operator" => Role::Operator,
		"financier" => Role::Financier,
		"core_enterprise" => Role::CoreEnterprise,
		"supplier" => Role::Supplier,
		"regulator" => Role::Regulator,
		_ => {
			return Err(DescriptionError::UnknownRole {
				entry: format!("participant {entry:?}"),
				role: role.into(),
			})
		},
	})
}

fn parse_account(entry: &str, text: &str) -> Result<AccountId, DescriptionError> {
	let bad = |reason: String| DescriptionError::BadAccount { entry: entry.into(), reason };
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes: [u8; 32] = sp_core::bytes::from_hex(hex)
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| bad(format!("{text:?} is not 0x and 64 hex digits")))?;
		return Ok(AccountId::from(bytes));
	}
	AccountId::from_ss58check(text)
		.map_err(|e| bad(format!("{text:?} is not an SS58 address ({e:?})")))
}

/// Parses and checks a description; `allow_fewer` admits fewer than four
/// validators.
pub fn check(json: &[u8], allow_fewer: bool) -> Result<Checked, DescriptionError> {
	use DescriptionError::*;
	let d: Description = serde_json::from_slice(json).map_err(|e| Malformed(e.to_string()))?;
	if d.id.is_empty()
		|| !d.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
	{
		return Err(BadChainId(d.id));
	}
	if d.genesis_time == 0 {
		return Err(ZeroGenesisTime);
	}
	let mut by_key: BTreeMap<String, Participant> = BTreeMap::new();
	let mut accounts: BTreeMap<AccountId, String> = BTreeMap::new();
	let mut codes: BTreeMap<String, String> = BTreeMap::new();
	let mut participants = Vec::new();
	for p in &d.participants {
		if by_key.contains_key(&p.key) {
			return Err(Duplicate { what: "participant", key: p.key.clone() });
		}
		let account = parse_account(&p.key, &p.account)?;
		if let Some(first) = accounts.insert(account.clone(), p.key.clone()) {
			return Err(DuplicateAccount { first, second: p.key.clone() });
		}
		pallet_participants::uscc::Uscc::try_from_slice(p.uscc.as_bytes()).map_err(|e| {
			BadUscc { entry: p.key.clone(), reason: format!("{:?}: {e:?}", p.uscc) }
		})?;
		if let Some(first) = codes.insert(p.uscc.clone(), p.key.clone()) {
			return Err(DuplicateUscc { first, second: p.key.clone() });
		}
		let mut roles = Vec::new();
		for r in &p.roles {
			let role = parse_role(&p.key, r)?;
			if !roles.contains(&role) {
				roles.push(role);
			}
		}
		if roles.is_empty() {
			return Err(NoRole { entry: p.key.clone() });
		}
		let checked = Participant {
			key: p.key.clone(),
			name: p.name.clone(),
			uscc: p.uscc.clone(),
			account,
			roles,
		};
		by_key.insert(p.key.clone(), checked.clone());
		participants.push(checked);
	}
	let find = |entry: String, key: &str| {
		by_key.get(key).ok_or_else(|| UnknownParticipant { entry, key: key.into() })
	};
	let with_role = |entry: String, key: &str, role: Role, name: &'static str| {
		let p = find(entry.clone(), key)?;
		if p.roles.contains(&role) {
			Ok(p.account.clone())
		} else {
			Err(MissingRole { entry, key: key.into(), role: name })
		}
	};
	if d.council.is_empty() {
		return Err(EmptyCouncil);
	}
	let mut council = Vec::new();
	let mut seats = BTreeSet::new();
	for key in &d.council {
		if !seats.insert(key.clone()) {
			return Err(Duplicate { what: "council seat", key: key.clone() });
		}
		council.push(find("the council".into(), key)?.account.clone());
	}
	let mut credit_lines = Vec::new();
	for (i, line) in d.credit_lines.iter().enumerate() {
		let entry = format!("credit line {}", i + 1);
		let financier = with_role(entry.clone(), &line.financier, Role::Financier, "financier")?;
		let core = with_role(entry, &line.core, Role::CoreEnterprise, "core enterprise")?;
		credit_lines.push((financier, core, line.limit, line.expires_at));
	}
	let names: BTreeSet<String> = d.nodes.iter().map(|n| n.name.clone()).collect();
	let mut seen = BTreeSet::new();
	let mut nodes = Vec::new();
	let mut validators = 0;
	for node in d.nodes {
		if node.name.is_empty()
			|| !node.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
		{
			return Err(BadNodeName(node.name));
		}
		if !seen.insert(node.name.clone()) {
			return Err(Duplicate { what: "node", key: node.name });
		}
		let role = match node.role.as_str() {
			"validator" => NodeRole::Validator,
			"full" => NodeRole::Full,
			"archive" => NodeRole::Archive,
			other => {
				return Err(UnknownRole {
					entry: format!("node {:?}", node.name),
					role: other.into(),
				})
			},
		};
		if let Some(peer) = node.dial.keys().find(|peer| !names.contains(*peer)) {
			return Err(UnknownNode { entry: node.name.clone(), node: peer.clone() });
		}
		if role == NodeRole::Validator && node.rpc_external {
			return Err(ValidatorRpcExternal(node.name));
		}
		let entry = format!("node {:?}", node.name);
		let owner = if role == NodeRole::Validator {
			validators += 1;
			with_role(entry, &node.owner, Role::Operator, "bank operator")?
		} else {
			find(entry, &node.owner)?.account.clone()
		};
		nodes.push((node, role, owner));
	}
	if validators < 4 && !(allow_fewer && validators > 0) {
		return Err(FewerValidators { count: validators });
	}
	Ok(Checked {
		name: d.name,
		id: d.id,
		genesis_time: d.genesis_time,
		time: d.time,
		participants,
		council,
		credit_lines,
		nodes,
	})
}
