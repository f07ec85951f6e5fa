//! The genesis configuration: the cast, lines, invalid data, JSON shape.

use super::credit_lines::line;
use crate::{
	mock::*, uscc, GenesisConfig, GenesisCreditLine, GenesisParticipant, LineStatus, LinesGranted,
	ParticipantRegistry, Participants as ParticipantsMap, Role, Uscc, UsccOwner,
};
use sp_runtime::BuildStorage;

#[test]
fn the_cast_is_admitted_and_exists() {
	new_test(|| {
		for who in [OPERATOR, OPERATOR_2, BANK_A, BANK_B, CORE, CORE_2, SUPPLIER, REGULATOR] {
			assert!(Participants::is_active(&who), "{who}");
			assert_eq!(System::providers(&who), 1, "{who}");
			assert_eq!(UsccOwner::<Test>::get(Uscc(uscc_of(who))), Some(who));
		}
		assert!(Participants::has_role(&OPERATOR_2, Role::Operator));
		assert!(Participants::has_role(&OPERATOR_2, Role::Financier));
		assert!(!Participants::is_active(&OUTSIDER));
		assert_eq!(System::providers(&OUTSIDER), 0);
		let name = ParticipantsMap::<Test>::get(BANK_A).unwrap().name;
		assert_eq!(core::str::from_utf8(&name).unwrap(), "甲银行股份有限公司");
	});
}

#[test]
fn genesis_lines_are_granted() {
	ExtBuilder::default()
		.with_line(BANK_A, CORE, 5_000, START_MS + DAY_MS)
		.with_line(BANK_B, CORE, 7_000, START_MS + 2 * DAY_MS)
		.build_and_execute(|| {
			let l = line(CORE, BANK_A).unwrap();
			assert_eq!(
				(l.limit, l.used, l.expires_at, l.status),
				(5_000, 0, START_MS + DAY_MS, LineStatus::Open)
			);
			assert_eq!(LinesGranted::<Test>::get(BANK_B), 1);
			assert_eq!(
				<Participants as crate::CreditLines<_, _>>::reserve(&CORE, 6_000, START_MS, 1),
				Ok(BANK_B)
			);
		});
}

fn genesis(participants: Vec<GenesisParticipant<u64>>, credit_lines: Vec<GenesisCreditLine<u64>>) {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		participants: GenesisConfig { participants, credit_lines },
	}
	.build_storage()
	.unwrap();
}

fn gp(account: u64, code: &str, roles: &[Role]) -> GenesisParticipant<u64> {
	GenesisParticipant {
		account, name: "某公司".into(), uscc: code.into(), roles: roles.to_vec()
	}
}

#[test]
#[should_panic(expected = "invalid USCC")]
fn an_invalid_genesis_uscc_panics() {
	genesis(vec![gp(1, "914403001922038217", &[Role::Supplier])], vec![]);
}

#[test]
#[should_panic(expected = "invalid USCC")]
fn a_short_genesis_uscc_panics() {
	genesis(vec![gp(1, "91440300192203821", &[Role::Supplier])], vec![]);
}

#[test]
#[should_panic(expected = "UsccTaken")]
fn a_repeated_genesis_uscc_panics() {
	genesis(
		vec![
			gp(1, "914403001922038216", &[Role::Supplier]),
			gp(2, "914403001922038216", &[Role::Supplier]),
		],
		vec![],
	);
}

#[test]
#[should_panic(expected = "non-financier")]
fn a_genesis_line_from_a_non_financier_panics() {
	let a = String::from_utf8(uscc::synthetic(1).to_vec()).unwrap();
	let b = String::from_utf8(uscc::synthetic(2).to_vec()).unwrap();
	genesis(
		vec![gp(1, &a, &[Role::Supplier]), gp(2, &b, &[Role::CoreEnterprise])],
		vec![GenesisCreditLine { financier: 1, core: 2, limit: 1, expires_at: 1 }],
	);
}

#[test]
fn genesis_json_shape() {
	let json = r#"{
		"participants": [
			{"account": 1, "name": "某银行股份有限公司", "uscc": "914403001922038216", "roles": ["Operator", "Financier"]},
			{"account": 2, "name": "某集团有限公司", "uscc": "91310110666007217T", "roles": ["CoreEnterprise"]}
		],
		"creditLines": [
			{"financier": 1, "core": 2, "limit": 340282366920938463463374607431768211455, "expiresAt": 1893456000000}
		]
	}"#;
	let config: GenesisConfig<Test> =
		serde_json::from_str(json).expect("the documented shape parses");
	assert_eq!(config.participants[0].roles, vec![Role::Operator, Role::Financier]);
	assert_eq!(config.credit_lines[0].limit, u128::MAX);
	assert_eq!(config.credit_lines[0].expires_at, 1_893_456_000_000);
	// And it round-trips.
	let again: GenesisConfig<Test> =
		serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
	assert_eq!(again.participants, config.participants);
	assert_eq!(again.credit_lines, config.credit_lines);
	// Unknown role names are refused.
	let bad = json.replace("\"Operator\"", "\"Sudo\"");
	assert!(serde_json::from_str::<GenesisConfig<Test>>(&bad).is_err());
}
