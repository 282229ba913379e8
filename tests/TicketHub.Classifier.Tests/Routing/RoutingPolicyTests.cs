using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Routing;

/// <summary>The Seine-Saint-Denis rule set, read from deploy/rulesets/seine-saint-denis.json: rules R0..R8 of domain.md.</summary>
public sealed class RoutingPolicyTests
{
    private const string RuleSetVersion = "93-2025.1";

    // ZA taken over on 2024-01-08 (winter, Paris = UTC+1), built 1972: the end-to-end collège.
    private static readonly College JeanMoulin = new("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972);

    // ZA taken over on 2024-06-03 (summer, Paris = UTC+2), built 2012.
    private static readonly College AimeCesaire = new("0933201F", "Collège Aimé Césaire", "Montreuil", "UT3", false, new DateOnly(2024, 6, 3), 2012);

    private static readonly College NotTakenOver = new("0931235A", "Collège Lucie Aubrac", "Saint-Denis", "UT1", false, null, 2004);

    private static readonly College PlannedIn2027 = new("0932102D", "Collège Louise Michel", "Bobigny", "UT2", false, new DateOnly(2027, 1, 11), 1988);

    private static readonly College CiteMixte = new("0931236B", "Collège Germaine Tillion", "Pantin", "UT4", true, new DateOnly(2023, 11, 6), 1965);

    private static readonly College CiteMixteNotTakenOver = CiteMixte with { ZaRepriseDate = null };

    private static readonly DateTimeOffset In2025 = new(2025, 3, 10, 9, 30, 0, TimeSpan.FromHours(1));

    private readonly RoutingPolicy _glpi = Policy(null);

    public sealed record Case(College? College, TicketDetails Ticket, DateTimeOffset CreatedAt, string Target, string? Tool, string? Queue, string Rule, string[] Flags);

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Route(string name, College? college, TicketDetails ticket, string target, string? tool, string? queue, string rule, DateTimeOffset? createdAt = null, params string[] flags) =>
            new TestCaseData(new Case(college, ticket, createdAt ?? In2025, target, tool, queue, rule, flags)).SetName(name);

        // R0
        yield return Route("Routes_ticket_of_a_college_missing_from_the_registry_to_triage", null, Ticket("poste-pedagogique", "ZP"), RouteTargets.Triage, null, null, "R0");
        yield return Route("Routes_building_matter_of_an_unknown_college_to_triage", null, Ticket("batiment", building: true), RouteTargets.Triage, null, null, "R0");
        yield return Route("Adds_no_asbestos_flag_for_an_unknown_college", null, Ticket("vpi", "ZP", "request"), RouteTargets.Triage, null, null, "R0");

        // R1: building, whatever the zone, before every other rule
        yield return Route("Routes_building_category_to_Omere_queue_of_the_college_UT", JeanMoulin, Ticket("batiment"), RouteTargets.Omere, ExternalTools.Omere, "UT1", "R1");
        yield return Route("Routes_building_impact_in_ZA_to_Omere", JeanMoulin, Ticket("poste-administratif", "ZA", building: true), RouteTargets.Omere, ExternalTools.Omere, "UT1", "R1");
        yield return Route("Routes_building_impact_in_a_cite_mixte_to_Omere_not_the_Region", CiteMixte, Ticket("wifi", "ZP", building: true), RouteTargets.Omere, ExternalTools.Omere, "UT4", "R1");
        yield return Route("Routes_building_matter_to_Omere_when_ZA_not_taken_over", PlannedIn2027, Ticket("batiment", "ZA"), RouteTargets.Omere, ExternalTools.Omere, "UT2", "R1");
        yield return Route("Routes_ENT_with_building_impact_to_Omere", JeanMoulin, Ticket("ent", building: true), RouteTargets.Omere, ExternalTools.Omere, "UT1", "R1");

        // R2: ENT, no zone needed
        yield return Route("Routes_ENT_problem_to_Kosmos_assistance_without_external_ticket", JeanMoulin, Ticket("ent"), RouteTargets.EntAssistance, null, null, "R2");
        yield return Route("Routes_ENT_problem_to_Kosmos_even_with_a_zone", CiteMixte, Ticket("ent", "ZP"), RouteTargets.EntAssistance, null, null, "R2");

        // R3, R4: zone pédagogique
        yield return Route("Routes_ZP_ticket_of_a_cite_mixte_to_the_Region", CiteMixte, Ticket("poste-pedagogique", "ZP"), RouteTargets.Region, null, null, "R3");
        yield return Route("Routes_ZP_ticket_of_a_cite_mixte_to_the_Region_when_zone_inferred", CiteMixteNotTakenOver, Ticket("logiciel-pedagogique"), RouteTargets.Region, null, null, "R3");
        yield return Route("Routes_ZP_ticket_to_the_infogerant", JeanMoulin, Ticket("poste-pedagogique", "ZP"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Routes_ZP_ticket_to_the_infogerant_even_when_ZA_not_taken_over", NotTakenOver, Ticket("vpi", "ZP"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Infers_ZP_from_wifi_category", JeanMoulin, Ticket("wifi"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Infers_ZP_from_vpi_category", JeanMoulin, Ticket("vpi"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Accepts_a_lower_case_zone", JeanMoulin, Ticket("imprimante", "zp"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Uses_the_given_zone_for_a_category_without_hint", NotTakenOver, Ticket("imprimante", "ZP"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");

        // R5, R6: ZA taken over
        yield return Route("Routes_national_application_to_PASS_after_reprise", JeanMoulin, Ticket("application-metier-en", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R5");
        yield return Route("Infers_ZA_from_national_application_category", JeanMoulin, Ticket("application-metier-en"), RouteTargets.Pass, ExternalTools.Pass, null, "R5");
        yield return Route("Routes_ZA_ticket_to_the_infogerant_after_reprise", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6");
        yield return Route("Infers_ZA_from_administrative_computer_category", JeanMoulin, Ticket("poste-administratif"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6");
        yield return Route("Routes_ZA_network_ticket_to_the_infogerant_after_reprise", JeanMoulin, Ticket("reseau", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6");
        yield return Route("Routes_ZA_ticket_of_a_cite_mixte_like_any_ZA_ticket", CiteMixte, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6");
        yield return Route("Routes_ZA_ticket_of_a_cite_mixte_to_PASS_when_not_taken_over", CiteMixteNotTakenOver, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7");

        // R7: ZA not taken over
        yield return Route("Routes_ZA_ticket_to_PASS_when_college_not_taken_over", NotTakenOver, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7");
        yield return Route("Routes_national_application_to_PASS_when_college_not_taken_over", NotTakenOver, Ticket("application-metier-en"), RouteTargets.Pass, ExternalTools.Pass, null, "R7");
        yield return Route("Routes_ZA_ticket_to_PASS_when_reprise_is_planned_later", PlannedIn2027, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7");
        yield return Route("Routes_ZA_server_ticket_to_PASS_when_college_not_taken_over", NotTakenOver, Ticket("serveur", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7");

        // The reprise counts from its own day, in Paris time.
        yield return Route("Reprise_counts_on_its_own_day", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6", Paris(2024, 1, 8, 8, 0));
        yield return Route("Reprise_does_not_count_the_day_before", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7", Paris(2024, 1, 7, 17, 0));
        yield return Route("Reprise_counts_the_day_after", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6", Paris(2024, 1, 9, 8, 0));
        yield return Route("Reprise_counts_at_half_past_midnight_Paris_still_the_day_before_in_UTC", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6", Utc(2024, 1, 7, 23, 30));
        yield return Route("Reprise_does_not_count_one_minute_before_midnight_Paris", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7", Utc(2024, 1, 7, 22, 59));
        yield return Route("Reprise_counts_after_midnight_Paris_in_summer_time", AimeCesaire, Ticket("poste-administratif", "ZA"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R6", Utc(2024, 6, 2, 22, 30));
        yield return Route("Reprise_does_not_count_before_midnight_Paris_in_summer_time", AimeCesaire, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7", Utc(2024, 6, 2, 21, 30));
        yield return Route("National_application_goes_to_PASS_the_day_before_reprise_too", JeanMoulin, Ticket("application-metier-en", "ZA"), RouteTargets.Pass, ExternalTools.Pass, null, "R7", Utc(2024, 1, 7, 22, 59));

        // R8: zone unknown and not inferable
        yield return Route("Sends_network_ticket_without_zone_to_triage", JeanMoulin, Ticket("reseau"), RouteTargets.Triage, null, null, "R8");
        yield return Route("Sends_printer_ticket_without_zone_to_triage", JeanMoulin, Ticket("imprimante"), RouteTargets.Triage, null, null, "R8");
        yield return Route("Sends_server_ticket_without_zone_to_triage", CiteMixte, Ticket("serveur"), RouteTargets.Triage, null, null, "R8");
        yield return Route("Sends_other_ticket_without_zone_to_triage", NotTakenOver, Ticket("autre"), RouteTargets.Triage, null, null, "R8");
        yield return Route("Sends_unknown_category_without_zone_to_triage", JeanMoulin, Ticket("machine-a-cafe"), RouteTargets.Triage, null, null, "R8");
        yield return Route("Treats_an_unrecognised_zone_as_unknown", JeanMoulin, Ticket("reseau", "ZX"), RouteTargets.Triage, null, null, "R8");

        // DAT amiante: flag only, the route does not change
        yield return Route("Flags_VPI_installation_in_a_college_built_before_1997", JeanMoulin, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", null, RouteFlags.DatAmiante);
        yield return Route("Flags_VPI_installation_in_a_cite_mixte_built_before_1997_and_keeps_the_Region", CiteMixte, Ticket("vpi", null, "request"), RouteTargets.Region, null, null, "R3", null, RouteFlags.DatAmiante);
        yield return Route("Flags_VPI_installation_in_a_college_built_in_1996", JeanMoulin with { BuiltYear = 1996 }, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", null, RouteFlags.DatAmiante);
        yield return Route("Does_not_flag_VPI_installation_in_a_college_built_in_1997", JeanMoulin with { BuiltYear = 1997 }, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Does_not_flag_VPI_installation_in_a_college_built_after_1997", AimeCesaire, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Does_not_flag_VPI_installation_when_construction_year_unknown", JeanMoulin with { BuiltYear = null }, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Does_not_flag_VPI_incident_in_an_old_college", JeanMoulin, Ticket("vpi", "ZP", "incident"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
        yield return Route("Does_not_flag_other_requests_in_an_old_college", JeanMoulin, Ticket("poste-pedagogique", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4");
    }

    [TestCaseSource(nameof(Cases))]
    public void Decides(Case c)
    {
        var decision = _glpi.Decide(c.Ticket, c.CreatedAt, c.College);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Target, Is.EqualTo(c.Target), "target");
            Assert.That(decision.Tool, Is.EqualTo(c.Tool), "tool");
            Assert.That(decision.Queue, Is.EqualTo(c.Queue), "queue");
            Assert.That(decision.Rule, Is.EqualTo(c.Rule), "rule");
            Assert.That(decision.Flags, Is.EqualTo(c.Flags), "flags");
            Assert.That(decision.RuleSetVersion, Is.EqualTo(RuleSetVersion), "rule set version");
            Assert.That(decision.Explanation, Is.Not.Empty, "explanation");
        }
    }

    [Test]
    public void Records_the_version_written_in_the_rule_set_file() =>
        Assert.That(_glpi.Decide(Ticket("wifi"), In2025, JeanMoulin).RuleSetVersion, Is.EqualTo(RuleSetVersion));

    [Test]
    public void Names_the_infogerant_tool_iTop_when_Routing_InfogerantTool_overrides_the_file()
    {
        var decision = Policy(ExternalTools.Itop).Decide(Ticket("poste-administratif", "ZA"), In2025, JeanMoulin);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Tool, Is.EqualTo(ExternalTools.Itop));
            Assert.That(decision.Explanation, Does.Contain("l'infogérant du Département (iTop)"));
        }
    }

    [Test]
    public void Explains_ZP_routing_naming_the_infogerant_in_French()
    {
        var decision = _glpi.Decide(Ticket("poste-pedagogique", "ZP"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Is.EqualTo(
            "Le matériel pédagogique est maintenu par le Département : votre demande est transmise à l'infogérant du Département (GLPI)."));
    }

    [Test]
    public void Explains_ZA_not_taken_over_as_a_secretary_would_understand()
    {
        var decision = _glpi.Decide(Ticket("poste-administratif", "ZA"), In2025, NotTakenOver);

        Assert.That(decision.Explanation, Is.EqualTo(
            "La zone administrative de votre collège n'a pas encore été reprise par le Département : votre demande est transmise au Rectorat (PASS)."));
    }

    [Test]
    public void Explains_a_planned_reprise_with_its_date()
    {
        var decision = _glpi.Decide(Ticket("poste-administratif", "ZA"), In2025, PlannedIn2027);

        Assert.That(decision.Explanation, Does.EndWith("La reprise est prévue le 11/01/2027."));
    }

    [Test]
    public void Explains_reprise_date_and_national_applications_for_R5()
    {
        var decision = _glpi.Decide(Ticket("application-metier-en", "ZA"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Does.Contain("reprise par le Département le 08/01/2024").And.Contain("Rectorat").And.Contain("PASS"));
    }

    [Test]
    public void Explains_ENT_routing_with_the_Kosmos_contacts_of_the_file()
    {
        var decision = _glpi.Decide(Ticket("ent"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Does.Contain("Kosmos").And.Contain("https://exemple.invalid/").And.EndWith("Votre demande reste enregistrée ici."));
    }

    [Test]
    public void Explains_building_routing_with_the_UT()
    {
        var decision = _glpi.Decide(Ticket("batiment"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Does.Contain("unité territoriale UT1").And.Contain("Omère"));
    }

    [Test]
    public void Explains_that_an_unknown_college_is_not_in_the_registry_and_will_be_routed_by_a_dispatcher()
    {
        var decision = _glpi.Decide(Ticket("poste-pedagogique", "ZP", uai: "0939999Z"), In2025, null);

        Assert.That(decision.Explanation, Does.Contain("0939999Z").And.Contain("registre").And.Contain("Pôle TIE"));
    }

    [Test]
    public void Warns_of_the_asbestos_survey_delay_after_the_route_explanation()
    {
        var decision = _glpi.Decide(Ticket("vpi", "ZP", "request"), In2025, JeanMoulin);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Explanation, Does.StartWith("Le matériel pédagogique est maintenu par le Département"));
            Assert.That(decision.Explanation, Does.Contain("diagnostic amiante").And.Contain("délai supplémentaire"));
        }
    }

    [Test]
    public void Does_not_mention_asbestos_without_the_flag()
    {
        var decision = _glpi.Decide(Ticket("vpi", "ZP", "incident"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Does.Not.Contain("amiante"));
    }

    [TestCase("2024-01-07T22:59:00Z", "2024-01-07")]
    [TestCase("2024-01-07T23:00:00Z", "2024-01-08")]
    [TestCase("2024-06-02T21:59:00Z", "2024-06-02")]
    [TestCase("2024-06-02T22:00:00Z", "2024-06-03")]
    [TestCase("2024-03-31T00:30:00+01:00", "2024-03-31")]
    public void Ticket_day_is_the_date_in_Paris(string createdAt, string expectedDay)
    {
        var day = _glpi.TicketDay(DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(day, Is.EqualTo(DateOnly.Parse(expectedDay, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static RoutingPolicy Policy(string? toolOverride) => new(RuleSetLoader.Load(RepoFiles.SeineSaintDenis, toolOverride));

    private static TicketDetails Ticket(string category, string? zone = null, string type = "incident", bool building = false, string uai = "0931234X") =>
        new(uai, new Requester("Marie Dupont", "secretariat@college.example", null), zone, category, type, building,
            "Titre", "Description", "normal", null, null);

    private static DateTimeOffset Paris(int year, int month, int day, int hour, int minute)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
