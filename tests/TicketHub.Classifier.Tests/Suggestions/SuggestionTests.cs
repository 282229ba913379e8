using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Suggestions;

/// <summary>
/// The zone and category a ticket's text suggests (issue 16), and what the Seine-Saint-Denis rule set
/// does with a suggested zone: used from 70 % of confidence when the requester did not know the
/// zone, said in the explanation; below, the ticket waits in triage as before.
/// </summary>
public sealed class SuggestionTests
{
    private static readonly College JeanMoulin = new("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972);

    private static readonly College NotTakenOver = new("0931235A", "Collège Lucie Aubrac", "Saint-Denis", "UT1", false, null, 2004);

    private static readonly DateTimeOffset In2026 = new(2026, 3, 10, 9, 30, 0, TimeSpan.FromHours(1));

    private static readonly Lazy<RequestSuggester> Shipped = new(() => new RequestSuggester(LabelledSet.Shipped()));

    private static RoutingPolicy SeineSaintDenis => new(RuleSetLoader.Load(RepoFiles.SeineSaintDenis));

    [Test]
    public void Accents_plurals_and_elisions_read_alike()
    {
        using var text = new FrenchText();
        Assert.That(text.Terms("Les imprimantes de l'intendance ne répondent plus"),
            Is.EqualTo(text.Terms("imprimante intendance ne repondent plus")));
        Assert.That(text.Terms("le la les de du et"), Is.Empty, "French stop words carry nothing");
        Assert.That(text.Terms("salle 107, poste 3"), Is.EqualTo(text.Terms("salle, poste")), "numbers carry nothing either");
    }

    [Test]
    public void A_request_about_a_classroom_projector_is_suggested_the_pedagogical_zone_and_the_vpi_category()
    {
        var suggestion = Shipped.Value.Suggest("Le TBI de la salle 214 n'affiche plus rien",
            "Le vidéoprojecteur interactif reste sur écran bleu, le stylet ne répond pas, les élèves ne voient rien au tableau.");

        Assert.That(suggestion.Zone, Is.EqualTo(Zones.Pedagogique));
        Assert.That(suggestion.Category, Is.EqualTo("vpi"));
        Assert.That(suggestion.ZoneConfidence, Is.GreaterThanOrEqualTo(0.7));
    }

    [Test]
    public void A_request_about_the_secretariats_copier_is_suggested_the_administrative_zone()
    {
        var suggestion = Shipped.Value.Suggest("Copieur du secrétariat bloqué",
            "Le photocopieur du secrétariat affiche un bourrage papier en permanence, impossible d'imprimer les certificats de scolarité.");

        Assert.That(suggestion.Zone, Is.EqualTo(Zones.Administrative));
        Assert.That(suggestion.Category, Is.EqualTo("imprimante"));
    }

    [Test]
    public void Text_that_resembles_nothing_suggests_nothing()
    {
        Assert.That(Shipped.Value.Suggest("zorglub", "blorptak frumieux"), Is.EqualTo(Suggestion.None));
        Assert.That(Shipped.Value.Suggest("", "   "), Is.EqualTo(Suggestion.None));
    }

    [Test]
    public void A_single_lookalike_is_not_a_confident_guess()
    {
        // « qwerty » appears in one labelled request (a keyboard); nothing else matches.
        var suggestion = Shipped.Value.Suggest("zorglub", "qwerty");

        Assert.That(suggestion.Neighbours, Is.EqualTo(1));
        Assert.That(suggestion.ZoneConfidence, Is.EqualTo(1.0 / RequestSuggester.Neighbours).Within(1e-6));
    }

    [Test]
    public void A_ticket_whose_zone_nobody_knows_is_routed_by_a_confident_suggestion_and_the_explanation_says_so()
    {
        var ticket = Ticket("imprimante", "Copieur du secrétariat bloqué", "Bourrage papier permanent sur le photocopieur du secrétariat.");
        var suggestion = new Suggestion(Zones.Administrative, 0.85, "imprimante", 0.9, 10);

        var decision = SeineSaintDenis.Decide(ticket, In2026, NotTakenOver, suggestion);

        Assert.That(decision.Rule, Is.EqualTo("R7"), "ZA not taken over: the Rectorat");
        Assert.That(decision.Target, Is.EqualTo(RouteTargets.Pass));
        Assert.That(decision.Explanation, Does.StartWith("Vous n'avez pas indiqué la zone : d'après votre description, la demande concerne la zone administrative (bureaux), comme 85 %"));
    }

    [Test]
    public void Below_the_rule_sets_threshold_the_ticket_waits_in_triage_as_before()
    {
        var ticket = Ticket("reseau", "Problème", "Ça ne marche pas.");

        var decision = SeineSaintDenis.Decide(ticket, In2026, JeanMoulin, new Suggestion(Zones.Pedagogique, 0.69, "reseau", 0.5, 10));

        Assert.That(decision.Rule, Is.EqualTo("R8"));
        Assert.That(decision.Explanation, Does.Not.Contain("d'après votre description"));
    }

    [Test]
    public void A_zone_given_or_implied_by_the_category_is_never_replaced_by_a_suggestion()
    {
        var given = SeineSaintDenis.Decide(Ticket("imprimante", zone: Zones.Pedagogique), In2026, NotTakenOver, new Suggestion(Zones.Administrative, 1, "imprimante", 1, 10));
        var implied = SeineSaintDenis.Decide(Ticket("vpi"), In2026, NotTakenOver, new Suggestion(Zones.Administrative, 1, "vpi", 1, 10));

        Assert.That(given.Rule, Is.EqualTo("R4"));
        Assert.That(implied.Rule, Is.EqualTo("R4"));
        Assert.That(SeineSaintDenis.WouldUseSuggestion(Ticket("vpi")), Is.False);
        Assert.That(SeineSaintDenis.WouldUseSuggestion(Ticket("imprimante")), Is.True);
    }

    [Test]
    public void A_rule_set_without_suggestions_never_routes_by_one()
    {
        var policy = new RoutingPolicy(RuleSetLoader.Load(RepoFiles.SansReprise));

        var decision = policy.Decide(Ticket("imprimante"), In2026, JeanMoulin, new Suggestion(Zones.Administrative, 1, "imprimante", 1, 10));

        Assert.That(policy.WouldUseSuggestion(Ticket("imprimante")), Is.False);
        Assert.That(decision.Target, Is.EqualTo(RouteTargets.Triage));
    }

    /// <summary>The end-to-end tests' tickets that must wait in triage: their text names no equipment, so it suggests no zone confidently.</summary>
    [TestCase("Demande à orienter")]
    [TestCase("Demande à orienter pour les pages de rôle")]
    [TestCase("Demande à orienter par le Pôle TIE")]
    [TestCase("Demande 9 du test des réplicas")]
    [TestCase("Demande 107 du test des réplicas")]
    [TestCase("Question 109 à orienter par le Pôle TIE", "Sans précision.")]
    public void A_request_that_names_no_equipment_is_not_given_a_confident_zone(string title, string description = "Pouvez-vous nous rappeler ? Merci.")
    {
        var suggestion = Shipped.Value.Suggest(title, description);

        Assert.That(suggestion.ZoneConfidence, Is.LessThan(0.7));
    }

    /// <summary>The end-to-end test's ticket sent without a zone: a classroom's interactive board.</summary>
    [Test]
    public void An_interactive_board_that_no_longer_answers_is_confidently_a_classroom_matter()
    {
        var suggestion = Shipped.Value.Suggest("Le TBI de la salle 12 n'affiche plus rien",
            "Le vidéoprojecteur interactif reste sur écran bleu, le stylet ne répond pas, les élèves ne voient rien au tableau.");

        Assert.That(suggestion.Zone, Is.EqualTo(Zones.Pedagogique));
        Assert.That(suggestion.ZoneConfidence, Is.GreaterThanOrEqualTo(0.8), "well above the threshold: the end-to-end test must not depend on a hair");
    }

    private static TicketDetails Ticket(string category, string title = "Titre", string description = "Description", string? zone = null) =>
        new("0931234X", new Requester("Marie Dupont", "secretariat@college.example", null), zone, category, "incident", false,
            title, description, "normal", null, null);
}
