<?php
/**
 * The fixtures of deploy/peers.sh's iTop, made in-process (a fresh iTop has no REST account yet):
 * a delivery model with the support team "Support Hub N1" and its agent, the three collèges'
 * organizations (code = UAI) with one caller each, a service with an incident and a request
 * subcategory offered to each collège, and the REST accounts of the tests.
 * Idempotent: what exists is found, not created again. Prints the ids as JSON.
 *
 *   php itop-fixtures.php ITOP_DIR REST_USER REST_PASSWORD AGENT_USER AGENT_PASSWORD
 */
if (PHP_SAPI !== 'cli' || $argc < 6) {
	fwrite(STDERR, "usage: php itop-fixtures.php ITOP_DIR REST_USER REST_PASSWORD AGENT_USER AGENT_PASSWORD\n");
	exit(2);
}
[, $itopDir, $restUser, $restPassword, $agentUser, $agentPassword] = $argv;
require_once rtrim($itopDir, '/') . '/approot.inc.php';
require_once APPROOT . 'application/startup.inc.php';

UserRights::Login('admin');
CMDBObject::SetTrackInfo('TicketHub deploy/peers.sh');

/** The id of the object $oql finds, else of a new $class made of $values. */
function findOrCreate(string $class, string $oql, array $args, array $values): int
{
	$found = (new DBObjectSet(DBObjectSearch::FromOQL($oql), [], $args))->Fetch();
	if ($found !== null) {
		return (int)$found->GetKey();
	}
	$object = MetaModel::NewObject($class);
	foreach ($values as $attribute => $value) {
		$object->Set($attribute, $value);
	}
	$object->DBInsert();
	fwrite(STDERR, "created $class #" . $object->GetKey() . "\n");
	return (int)$object->GetKey();
}

function account(string $login, string $password, array $profiles, int $contactId): int
{
	$found = (new DBObjectSet(DBObjectSearch::FromOQL('SELECT UserLocal WHERE login = :l'), [], ['l' => $login]))->Fetch();
	if ($found !== null) {
		return (int)$found->GetKey();
	}
	$user = MetaModel::NewObject('UserLocal');
	foreach (['login' => $login, 'password' => $password, 'language' => 'FR FR', 'status' => 'enabled', 'expiration' => 'never_expire', 'contactid' => $contactId] as $k => $v) {
		$user->Set($k, $v);
	}
	$links = new ormLinkSet('UserLocal', 'profile_list', DBObjectSet::FromScratch('URP_UserProfile'));
	foreach ($profiles as $name) {
		$profile = (new DBObjectSet(DBObjectSearch::FromOQL('SELECT URP_Profiles WHERE name = :n'), [], ['n' => $name]))->Fetch();
		$link = MetaModel::NewObject('URP_UserProfile');
		$link->Set('profileid', $profile->GetKey());
		$links->AddItem($link);
	}
	$user->Set('profile_list', $links);
	$user->DBInsert();
	fwrite(STDERR, "created UserLocal $login\n");
	return (int)$user->GetKey();
}

$provider = 1; // the setup's own organization
$model = findOrCreate('DeliveryModel', 'SELECT DeliveryModel WHERE name = :n', ['n' => 'Support Hub Collèges'],
	['name' => 'Support Hub Collèges', 'org_id' => $provider, 'description' => 'TicketHub tests']);
$team = findOrCreate('Team', 'SELECT Team WHERE name = :n', ['n' => 'Support Hub N1'],
	['name' => 'Support Hub N1', 'org_id' => $provider, 'email' => 'support-n1@hub.example.fr', 'status' => 'active']);
$agent = findOrCreate('Person', 'SELECT Person WHERE email = :e', ['e' => 'thomas.agent@hub.example.fr'],
	['name' => 'Agent', 'first_name' => 'Thomas', 'org_id' => $provider, 'email' => 'thomas.agent@hub.example.fr', 'status' => 'active']);
findOrCreate('lnkPersonToTeam', 'SELECT lnkPersonToTeam WHERE team_id = :t AND person_id = :p', ['t' => $team, 'p' => $agent],
	['team_id' => $team, 'person_id' => $agent]);
findOrCreate('lnkDeliveryModelToContact', 'SELECT lnkDeliveryModelToContact WHERE deliverymodel_id = :d AND contact_id = :c', ['d' => $model, 'c' => $team],
	['deliverymodel_id' => $model, 'contact_id' => $team]);

$orgs = [];
foreach ([
	['Collège Jean Moulin', '0931234X', 'Claire', 'Dubois'],
	['Collège Louise Michel', '0931235A', 'Karim', 'Benali'],
	['Collège Paul Éluard', '0931236B', 'Sophie', 'Lefèvre'],
] as [$name, $uai, $first, $last]) {
	$org = findOrCreate('Organization', 'SELECT Organization WHERE code = :c', ['c' => $uai],
		['name' => $name, 'code' => $uai, 'status' => 'active', 'deliverymodel_id' => $model]);
	$email = strtolower(iconv('UTF-8', 'ASCII//TRANSLIT', $first) . '.' . iconv('UTF-8', 'ASCII//TRANSLIT', $last)) . '@' . strtolower($uai) . '.example.fr';
	$caller = findOrCreate('Person', 'SELECT Person WHERE email = :e', ['e' => $email],
		['name' => $last, 'first_name' => $first, 'org_id' => $org, 'email' => $email, 'status' => 'active']);
	$orgs[] = ['name' => $name, 'code' => $uai, 'org_id' => $org, 'caller_id' => $caller];
}

// The service catalogue the connector maps the hub's categories to: one service, a subcategory for
// its incidents and one for its requests (iTop lets an Incident take only an "incident" subcategory
// and a UserRequest only a "service_request" one), offered to each collège by a customer contract.
$family = findOrCreate('ServiceFamily', 'SELECT ServiceFamily WHERE name = :n', ['n' => 'Informatique des collèges'],
	['name' => 'Informatique des collèges']);
$service = findOrCreate('Service', 'SELECT Service WHERE name = :n', ['n' => 'Matériel pédagogique'],
	['name' => 'Matériel pédagogique', 'org_id' => $provider, 'servicefamily_id' => $family, 'status' => 'production',
	 'description' => 'Vidéoprojecteurs, VPI, postes des salles de classe']);
$subcategories = [];
foreach (['incident' => 'Panne de vidéoprojecteur ou VPI', 'service_request' => 'Demande sur un vidéoprojecteur ou VPI'] as $type => $name) {
	$subcategories[$type] = findOrCreate('ServiceSubcategory', 'SELECT ServiceSubcategory WHERE name = :n', ['n' => $name],
		['name' => $name, 'service_id' => $service, 'request_type' => $type, 'status' => 'production']);
}
foreach ($orgs as $o) {
	$contract = findOrCreate('CustomerContract', 'SELECT CustomerContract WHERE org_id = :o', ['o' => $o['org_id']],
		['name' => 'Maintenance ' . $o['name'], 'org_id' => $o['org_id'], 'provider_id' => $provider, 'status' => 'production']);
	findOrCreate('lnkCustomerContractToService', 'SELECT lnkCustomerContractToService WHERE customercontract_id = :c AND service_id = :s',
		['c' => $contract, 's' => $service], ['customercontract_id' => $contract, 'service_id' => $service]);
}

$restPerson = findOrCreate('Person', 'SELECT Person WHERE email = :e', ['e' => 'hub-rest@hub.example.fr'],
	['name' => 'Hub REST', 'first_name' => 'Connecteur', 'org_id' => $provider, 'email' => 'hub-rest@hub.example.fr', 'status' => 'active']);
$users = [
	$restUser => account($restUser, $restPassword, ['Administrator', 'REST Services User'], $restPerson),
	$agentUser => account($agentUser, $agentPassword, ['Support Agent', 'REST Services User'], $agent),
];

echo json_encode(['deliverymodel_id' => $model, 'team_id' => $team, 'agent_id' => $agent, 'service_id' => $service,
	'subcategories' => $subcategories, 'orgs' => $orgs, 'users' => $users],
	JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
