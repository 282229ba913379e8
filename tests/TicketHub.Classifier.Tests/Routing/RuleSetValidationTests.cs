using TicketHub.Classifier.Routing;

namespace TicketHub.Classifier.Tests.Routing;

/// <summary>
/// A bad rule-set file is rejected with its name, the line of the problem and a reason a
/// département's editor can act on. Each case edits the shipped Seine-Saint-Denis file once.
/// </summary>
public sealed class RuleSetValidationTests
{
    private const string FileName = "seine-saint-denis.json";

    private static readonly string Original = File.ReadAllText(RepoFiles.SeineSaintDenis);

    /// <param name="find">Text of the shipped file to replace (its first occurrence).</param>
    /// <param name="marker">Text of the edited file on the line the error must name.</param>
    private static TestCaseData Bad(string name, string find, string replace, string marker, string reason) =>
        new TestCaseData(find, replace, marker, reason).SetName(name);

    private static IEnumerable<TestCaseData> BadFiles()
    {
        yield return Bad("Rejects_broken_JSON_at_the_line_where_it_breaks",
            "\"version\": \"93-2025.1\",", "\"version\": \"93-2025.1\"", "\"timeZone\"", "JSON invalide");
        yield return Bad("Rejects_an_unknown_target",
            "\"target\": \"omere\",", "\"target\": \"rectorat\",", "rectorat", "cible inconnue « rectorat » : infogerant, pass, omere, region, ent-assistance, triage.");
        yield return Bad("Rejects_a_tool_that_is_not_the_target_s",
            "\"tool\": \"omere\",", "\"tool\": \"pass\",", "\"tool\": \"pass\"", "l'outil « pass » ne convient pas à la cible « omere »");
        yield return Bad("Rejects_a_tool_on_an_infogerant_rule_because_infogerantTool_gives_it",
            "\"target\": \"infogerant\",", "\"target\": \"infogerant\", \"tool\": \"glpi\",", "\"tool\": \"glpi\"", "retirez « tool »");
        yield return Bad("Rejects_a_tool_on_a_target_without_external_ticket",
            "\"target\": \"region\",", "\"target\": \"region\", \"tool\": \"glpi\",", "\"tool\": \"glpi\"", "la cible « region » ne crée pas de ticket dans un outil");
        yield return Bad("Rejects_an_unknown_tool",
            "\"tool\": \"omere\",", "\"tool\": \"jira\",", "jira", "outil inconnu « jira »");
        yield return Bad("Rejects_a_category_code_intake_does_not_accept",
            "{ \"code\": \"autre\",", "{ \"code\": \"machine-a-cafe\",", "machine-a-cafe", "catégorie inconnue « machine-a-cafe »");
        yield return Bad("Rejects_a_file_missing_a_category_code_at_the_categories_line",
            "\n    { \"code\": \"autre\", \"label\": \"Autre problème ou demande\", \"zoneHint\": null }", "", "\"categories\"", "catégorie(s) non décrite(s) : autre");
        yield return Bad("Rejects_a_category_described_twice",
            "{ \"code\": \"autre\",", "{ \"code\": \"reseau\",", "{ \"code\": \"reseau\", \"label\": \"Autre", "catégorie « reseau » déjà décrite ligne 15.");
        yield return Bad("Rejects_a_zone_hint_other_than_ZP_ZA_or_null",
            "\"zoneHint\": \"ZP\" }", "\"zoneHint\": \"ZX\" }", "ZX", "zone « ZX » invalide : « ZP », « ZA » ou null");
        yield return Bad("Rejects_a_rule_id_used_twice",
            "\"id\": \"R8\",", "\"id\": \"R4\",", "\"id\": \"R4\",\n      \"when\": { \"zone\": \"unknown\" }", "identifiant de règle « R4 » déjà utilisé ligne 59.");
        yield return Bad("Rejects_the_rule_id_reserved_for_manual_re_routes",
            "\"id\": \"R8\",", "\"id\": \"MANUAL\",", "MANUAL", "réservé aux réorientations faites à la main");
        yield return Bad("Rejects_rules_that_leave_some_ticket_without_route",
            "\"when\": { \"zone\": \"unknown\" },", "\"when\": { \"zone\": \"unknown\", \"type\": \"incident\" },", "\"rules\"", "aucune règle ne s'applique à un ticket");
        yield return Bad("Rejects_a_rule_that_never_fires_because_an_earlier_one_takes_its_tickets",
            "\"when\": { \"zone\": \"ZP\" },", "\"when\": { },", "\"id\": \"R5\"", "la règle « R5 » ne s'applique à aucun ticket");
        yield return Bad("Rejects_an_unknown_placeholder",
            "l'unité territoriale {ut}", "l'unité territoriale {directeur}", "{directeur}", "espace réservé inconnu {directeur}");
        yield return Bad("Rejects_a_contact_the_file_does_not_describe",
            "{contact:kosmos-telephone}", "{contact:kosmos-fax}", "kosmos-fax", "{contact:kosmos-fax} : contact inconnu");
        yield return Bad("Rejects_the_UT_placeholder_in_a_rule_that_can_fire_for_a_college_missing_from_the_registry",
            "\"when\": { \"college\": \"unknown\" },", "\"when\": { \"college\": \"unknown\", \"type\": \"incident\" },", "\"id\": \"R1\"", "règle « R1 » : {ut} n'a pas de valeur pour un ticket");
        yield return Bad("Rejects_the_tool_placeholder_in_a_rule_without_tool",
            "un agent du Pôle TIE va l'orienter.", "un agent du Pôle TIE va l'orienter ({tool}).", "orienter ({tool})", "{tool} : cette règle n'envoie le ticket dans aucun outil.");
        yield return Bad("Rejects_an_unclosed_brace",
            "l'unité territoriale {ut}", "l'unité territoriale {ut", "{ut du", "accolade ouvrante jamais fermée");
        yield return Bad("Rejects_a_misspelt_property",
            "\"target\": \"triage\",", "\"targte\": \"triage\",", "targte", "propriété inconnue « targte » d'une règle (attendues : id, when, target, tool, queue, explanation).");
        yield return Bad("Rejects_a_property_given_twice",
            "\"target\": \"triage\",", "\"target\": \"triage\", \"target\": \"pass\",", "\"target\": \"pass\"", "propriété « target » déjà donnée");
        yield return Bad("Rejects_a_condition_of_the_wrong_type",
            "\"citeMixte\": true", "\"citeMixte\": \"oui\"", "oui", "« citeMixte » vaut true ou false, pas un texte.");
        yield return Bad("Rejects_an_unknown_zone_in_a_condition",
            "\"when\": { \"zone\": \"ZP\" },", "\"when\": { \"zone\": \"ZX\" },", "ZX", "« zone » vaut « ZP », « ZA » ou « unknown »");
        yield return Bad("Rejects_an_unknown_category_in_a_condition",
            "\"category\": [\"ent\"]", "\"category\": [\"ent-kosmos\"]", "ent-kosmos", "catégorie inconnue « ent-kosmos » dans la condition");
        yield return Bad("Rejects_an_unknown_flag",
            "\"flag\": \"dat-amiante\",", "\"flag\": \"amiante\",", "\"amiante\"", "drapeau inconnu « amiante »");
        yield return Bad("Rejects_a_missing_version_at_the_line_of_the_object_that_lacks_it",
            "\n  \"version\": \"93-2025.1\",", "", "{", "« version » est obligatoire");
        yield return Bad("Rejects_an_unknown_time_zone",
            "\"Europe/Paris\"", "\"Europe/Bobigny\"", "Bobigny", "fuseau horaire inconnu « Europe/Bobigny »");
        yield return Bad("Rejects_an_infogerant_tool_other_than_glpi_or_itop",
            "\"infogerantTool\": \"glpi\"", "\"infogerantTool\": \"jira\"", "jira", "outil de l'infogérant inconnu « jira » : « glpi » ou « itop ».");
        yield return Bad("Rejects_an_empty_explanation",
            "\"explanation\": \"Le matériel pédagogique est maintenu par le Département : votre demande est transmise à l'infogérant du Département ({tool}).\"",
            "\"explanation\": \"  \"", "\"explanation\": \"  \"", "« explanation » est un texte non vide");
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Rejects_with_file_line_and_reason(string find, string replace, string marker, string reason)
    {
        Assert.That(Original, Does.Contain(find), "the shipped file changed: update the case");
        var index = Original.IndexOf(find, StringComparison.Ordinal);
        var edited = Original[..index] + replace + Original[(index + find.Length)..];
        var line = edited[..edited.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Parse(edited, FileName));

        Assert.That(error!.Message.Split(Environment.NewLine),
            Has.Some.StartsWith($"{FileName} ligne {line} : ").And.Contains(reason),
            error.Message);
    }

    [Test]
    public void Reports_every_error_of_the_file_at_once_in_line_order()
    {
        var edited = Original
            .Replace("\"target\": \"omere\",", "\"target\": \"rectorat\",", StringComparison.Ordinal)
            .Replace("\"infogerantTool\": \"glpi\"", "\"infogerantTool\": \"jira\"", StringComparison.Ordinal);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Parse(edited, FileName));

        Assert.That(error!.Errors.Select(e => e.Line), Is.EqualTo(new[] { 5, 35 }));
    }

    [Test]
    public void Accepts_comments_and_trailing_commas_so_a_departement_can_annotate_its_file()
    {
        var edited = Original
            .Replace("\"rules\": [", "// Dans l'ordre où un agent les applique.\n  \"rules\": [", StringComparison.Ordinal)
            .Replace("\"zoneHint\": null }\n  ],", "\"zoneHint\": null },\n  ],", StringComparison.Ordinal);

        Assert.That(RuleSetLoader.Parse(edited, FileName).Version, Is.EqualTo("93-2025.1"));
    }

    [Test]
    public void Rejects_a_file_that_is_not_a_JSON_object()
    {
        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Parse("[]", FileName));

        Assert.That(error!.Message, Does.StartWith($"{FileName} ligne 1 : attendu : un objet"));
    }

    [Test]
    public void Uses_the_infogerant_tool_override_instead_of_the_file_s() =>
        Assert.That(RuleSetLoader.Parse(Original, FileName, "itop").InfogerantTool, Is.EqualTo("itop"));
}
