// labels.js - the Chinese words for the states the citizen API answers (realname status,
// guardian link status, consent kinds). The texts that explain a consent come from the server's
// privacy notice (GET /api/v1/citizen/privacy: notice, sensitive, child).
export const realnameStatus = { none: '未认证', pending_guardian: '等待监护人同意', verified: '已认证' };
export const linkStatus = { pending: '等待同意', approved: '已同意', refused: '已拒绝', withdrawn: '已撤回' };
export const consentKind = { privacy: '隐私政策', sensitive: '敏感个人信息（身份证号）', child: '儿童个人信息（监护人同意）' };
/** Which part of the privacy notice explains a consent of this kind. */
export const consentText = { privacy: 'notice', sensitive: 'sensitive', child: 'child' };

/** The tag colour of an organisation's registration status (its words come from the server). */
export const orgStatusTag = { pending: 'warning', accepted: 'success', returned: 'danger' };
