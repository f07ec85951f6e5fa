// Labels in Chinese and English, from the design's glossary.

export const LABELS = {
	title: ['供应商钱包', 'Supplier wallet'],
	certificate: ['数字债权凭证', 'Receivable certificate'],
	holdings: ['我的凭证', 'My certificates'],
	amount: ['金额', 'Amount'],
	due: ['到期日', 'Due date'],
	tier: ['层级', 'Tier'],
	status: ['状态', 'Status'],
	financier: ['资金方', 'Financier'],
	accept: ['签收', 'Accept'],
	reject: ['拒收', 'Reject'],
	open: ['穿透', 'Lineage'],
	split: ['拆分流转', 'Split-transfer'],
	finance: ['融资申请', 'Request financing'],
	offer: ['报价', 'Offer'],
	acceptOffer: ['接受报价', 'Accept offer'],
	factoring: ['保理', 'Factoring'],
	pledge: ['质押', 'Pledge'],
	recourse: ['追索', 'Recourse'],
	rate: ['贴现率', 'Discount rate'],
	advance: ['放款金额', 'Advance'],
	receive: ['到手金额', 'You receive'],
	atMaturity: ['到期再收', 'At maturity'],
	cost: ['融资成本', 'Cost'],
	expires: ['报价有效期至', 'Offer expires'],
	payoutBy: ['放款截止', 'Payout by'],
	receiver: ['接收方', 'Receiver'],
	addPart: ['添加接收方', 'Add receiver'],
	sign: ['签名并提交', 'Sign and submit'],
	cancel: ['取消', 'Cancel'],
	signing: ['待签名交易', 'Transaction to sign'],
	passphrase: ['口令', 'Passphrase'],
	importKey: ['导入私钥（十六进制或 PKCS#8 PEM）', 'Import key (hex or PKCS#8 PEM)'],
	generateKey: ['生成新私钥', 'Generate a new key'],
	saveAndLogin: ['加密保存并登录', 'Encrypt, store and sign in'],
	unlock: ['解锁并登录', 'Unlock and sign in'],
	forget: ['删除本机私钥', 'Forget the key'],
	logout: ['退出', 'Sign out'],
	account: ['账户', 'Account'],
	activity: ['操作进度', 'Activity'],
	lineage: ['穿透（溯源）', 'Lineage (back to the root)'],
	requests: ['融资申请', 'Financing requests'],
	kind: ['方式', 'Kind'],
	wanted: ['申请金额', 'Wanted advance'],
	submitted: ['已提交', 'submitted'],
	in_block: ['已出块', 'in block'],
	finalized: ['已确认', 'finalized'],
	failed: ['失败', 'failed'],
	pending_acceptance: ['待签收', 'awaiting acceptance'],
	active: ['已签收', 'active'],
	factored: ['已保理', 'factored'],
	pledged: ['已质押', 'pledged'],
	reserved: ['融资中', 'reserved for financing'],
	overdue: ['逾期', 'overdue'],
	frozen: ['冻结', 'frozen'],
	settled: ['已兑付', 'settled'],
	closed_by_split: ['已拆分', 'split'],
	requested: ['已申请', 'requested'],
	offered: ['已报价', 'offered'],
	accepted: ['已接受', 'accepted'],
	funded: ['已放款', 'funded'],
	noHoldings: ['暂无凭证', 'No certificates yet'],
	newKeyWarning: [
		'新私钥只保存在本浏览器（口令加密）。请先导出备份。',
		'The new key is kept only in this browser, encrypted under your passphrase. Back it up first.',
	],
};

let lang = localStorage.getItem('scf-wallet-lang') === 'en' ? 1 : 0;

/** A label in the current language, with the other in brackets. */
export function t(key) {
	const pair = LABELS[key];
	if (!pair) return key;
	return `${pair[lang]} · ${pair[1 - lang]}`;
}

/** Only the current language (short labels, statuses). */
export function t1(key) {
	return LABELS[key]?.[lang] ?? key;
}

export function toggleLanguage() {
	lang = 1 - lang;
	localStorage.setItem('scf-wallet-lang', lang ? 'en' : 'zh');
}
