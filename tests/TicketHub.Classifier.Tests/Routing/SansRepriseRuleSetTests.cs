using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;
using static TicketHub.Classifier.Tests.Routing.Sample;

namespace TicketHub.Classifier.Tests.Routing;

/// <summary>
/// deploy/rulesets/exemple-sans-reprise.json: the Rectorat keeps every ZA (no reprise) and there is
/// no Omère. The same tickets as Seine-Saint-Denis's go elsewhere, as that file says: routing is data.
/// </summary>
public sealed class SansRepriseRuleSetTests
{
    private static readonly RoutingPolicy SansReprise = new(RuleSetLoader.Load(RepoFiles.SansReprise));

    private static readonly RoutingPolicy SeineSaintDenis = new(RuleSetLoader.Load(RepoFiles.SeineSaintDenis));

    public sealed record Case(College? College, TicketDetails Ticket, string Target, string? Tool, string Rule, string SeineSaintDenisRule, string[] Flags);

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Route(string name, College? college, TicketDetails ticket, string target, string? tool, string rule, string seineSaintDenisRule, params string[] flags) =>
            new TestCaseData(new Case(college, ticket, target, tool, rule, seineSaintDenisRule, flags)).SetName(name);

        yield return Route("Sends_building_matter_to_the_infogerant_in_iTop_for_lack_of_Omere", JeanMoulin, Ticket("batiment"), RouteTargets.Infogerant, ExternalTools.Itop, "BATIMENT", "R1");
        yield return Route("Sends_building_impact_in_ZA_to_the_infogerant", NotTakenOver, Ticket("poste-administratif", "ZA", building: true), RouteTargets.Infogerant, ExternalTools.Itop, "BATIMENT", "R1");
        yield return Route("Keeps_ZA_ticket_at_the_Rectorat_although_the_college_was_taken_over_in_Seine_Saint_Denis_terms", JeanMoulin, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, "ZA", "R6");
        yield return Route("Keeps_national_application_at_the_Rectorat", JeanMoulin, Ticket("application-metier-en"), RouteTargets.Pass, ExternalTools.Pass, "ZA", "R5");
        yield return Route("Keeps_ZA_ticket_at_the_Rectorat_when_not_taken_over", NotTakenOver, Ticket("poste-administratif", "ZA"), RouteTargets.Pass, ExternalTools.Pass, "ZA", "R7");
        yield return Route("Sends_ZP_ticket_to_the_infogerant_in_iTop", JeanMoulin, Ticket("poste-pedagogique", "ZP"), RouteTargets.Infogerant, ExternalTools.Itop, "ZP", "R4");
        yield return Route("Sends_ZP_ticket_of_a_cite_mixte_to_the_Region", CiteMixte, Ticket("vpi"), RouteTargets.Region, null, "ZP-CITE-MIXTE", "R3");
        yield return Route("Sends_ENT_problem_to_the_ENT_assistance", JeanMoulin, Ticket("ent"), RouteTargets.EntAssistance, null, "ENT", "R2");
        yield return Route("Sends_printer_ticket_without_zone_to_triage", JeanMoulin, Ticket("imprimante"), RouteTargets.Triage, null, "TRIAGE", "R8");
        yield return Route("Sends_ticket_of_a_college_missing_from_the_registry_to_triage", null, Ticket("batiment", uai: "0939999Z"), RouteTargets.Triage, null, "INCONNU", "R0");
        yield return Route("Flags_VPI_installation_in_a_college_built_before_1997", JeanMoulin, Ticket("vpi", "ZP", "request"), RouteTargets.Infogerant, ExternalTools.Itop, "ZP", "R4", RouteFlags.DatAmiante);
    }

    [TestCaseSource(nameof(Cases))]
    public void Routes_as_its_file_says(Case c)
    {
        var decision = SansReprise.Decide(c.Ticket, In2025, c.College);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Target, Is.EqualTo(c.Target), "target");
            Assert.That(decision.Tool, Is.EqualTo(c.Tool), "tool");
            Assert.That(decision.Queue, Is.Null, "queue");
            Assert.That(decision.Rule, Is.EqualTo(c.Rule), "rule");
            Assert.That(decision.Flags, Is.EqualTo(c.Flags), "flags");
            Assert.That(decision.RuleSetVersion, Is.EqualTo("exemple-sans-reprise-2025.1"), "rule set version");
            Assert.That(SeineSaintDenis.Decide(c.Ticket, In2025, c.College).Rule, Is.EqualTo(c.SeineSaintDenisRule), "Seine-Saint-Denis's rule for the same ticket");
        }
    }

    [Test]
    public void Explains_that_the_Rectorat_keeps_the_administrative_zone()
    {
        var decision = SansReprise.Decide(Ticket("poste-administratif", "ZA"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Is.EqualTo(
            "Dans ce département, la zone administrative des collèges reste maintenue par le Rectorat : votre demande lui est transmise (PASS)."));
    }

    [Test]
    public void Explains_building_routing_naming_the_infogerant_tool()
    {
        var decision = SansReprise.Decide(Ticket("batiment"), In2025, JeanMoulin);

        Assert.That(decision.Explanation, Does.Contain("bâtiment").And.Contain("infogérant du Département (iTop)").And.Not.Contain("Omère"));
    }
}
