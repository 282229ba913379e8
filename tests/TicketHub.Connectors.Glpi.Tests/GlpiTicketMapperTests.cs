using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Tests;

public sealed class GlpiTicketMapperTests
{
    private static readonly GlpiTicketMapper Mapper = new(Options.Create(new GlpiOptions
    {
        Mapping = new GlpiMappingOptions
        {
            DefaultEntityId = 1,
            Entities = new(StringComparer.OrdinalIgnoreCase) { ["0931234X"] = 12 },
            Categories = new(StringComparer.OrdinalIgnoreCase) { ["imprimante"] = 7 },
        },
    }));

    private static GlpiTicketInput Map(TicketRouted routed) => Mapper.Map(routed, GlpiRequester.None, sendExternalId: false);

    [Test]
    public void Puts_the_hub_reference_at_the_start_of_the_title_where_GLPI_10_keeps_it()
    {
        var input = Map(TestTickets.Routed(reference: "TH-2026-000042"));

        Assert.That(input.Name, Is.EqualTo("[TH-2026-000042] Imprimante de la salle 12 en panne"));
        Assert.That(input.ExternalId, Is.Null, "GLPI 10 has no externalid");
    }

    [Test]
    public void Sends_the_reference_as_externalid_too_to_a_GLPI_that_has_it()
    {
        var input = Mapper.Map(TestTickets.Routed(reference: "TH-2026-000042"), GlpiRequester.None, sendExternalId: true);

        Assert.That(input.ExternalId, Is.EqualTo("TH-2026-000042"));
        Assert.That(input.Name, Does.StartWith("[TH-2026-000042] "));
    }

    [Test]
    public void Names_the_GLPI_user_with_the_requester_e_mail_as_requester()
    {
        var input = Mapper.Map(TestTickets.Routed(), new GlpiRequester(7, "claire.martin@ac-creteil.fr"), sendExternalId: false);

        var json = JsonNode.Parse(JsonSerializer.Serialize(input, GlpiJsonContext.Default.GlpiTicketInput))!.AsObject();
        Assert.That((int)json["_users_id_requester"]!, Is.EqualTo(7));
        Assert.That(json.ContainsKey("_users_id_requester_notif"), Is.False);
    }

    [Test]
    public void Asks_GLPI_to_notify_the_requester_e_mail_when_no_GLPI_user_has_it()
    {
        var input = Mapper.Map(TestTickets.Routed(), new GlpiRequester(null, "claire.martin@ac-creteil.fr"), sendExternalId: false);

        var json = JsonNode.Parse(JsonSerializer.Serialize(input, GlpiJsonContext.Default.GlpiTicketInput))!.AsObject();
        Assert.That((int)json["_users_id_requester"]!, Is.EqualTo(0));
        Assert.That(json["_users_id_requester_notif"]!.ToJsonString(),
            Is.EqualTo("""{"use_notification":[1],"alternative_email":["claire.martin@ac-creteil.fr"]}"""));
    }

    [Test]
    public void Cuts_a_title_longer_than_GLPI_names_allow()
    {
        var routed = TestTickets.Routed();
        routed = routed with { Ticket = routed.Ticket with { Title = new string('a', 300) } };

        var input = Map(routed);

        Assert.That(input.Name, Has.Length.EqualTo(255).And.EndWith("…").And.StartWith("[TH-2026-000042] "));
    }

    [Test]
    public void Puts_the_ticket_in_the_entity_mapped_to_the_college_UAI()
    {
        Assert.That(Map(TestTickets.Routed(uai: "0931234X")).EntityId, Is.EqualTo(12));
        Assert.That(Map(TestTickets.Routed(uai: "0931234x")).EntityId, Is.EqualTo(12), "UAI letters are matched case-insensitively");
    }

    [Test]
    public void Puts_the_ticket_of_an_unmapped_college_in_the_default_entity()
    {
        Assert.That(Map(TestTickets.Routed(uai: "0930000A")).EntityId, Is.EqualTo(1));
    }

    [Test]
    public void Maps_the_hub_category_to_its_ITIL_category()
    {
        Assert.That(Map(TestTickets.Routed(category: "imprimante")).CategoryId, Is.EqualTo(7));
    }

    [Test]
    public void Leaves_the_ITIL_category_out_when_the_hub_category_is_unmapped()
    {
        var input = Map(TestTickets.Routed(category: "wifi"));

        Assert.That(input.CategoryId, Is.Null);
        var json = JsonSerializer.Serialize(input, GlpiJsonContext.Default.GlpiTicketInput);
        Assert.That(JsonNode.Parse(json)!.AsObject().ContainsKey("itilcategories_id"), Is.False);
    }

    [TestCase("incident", 1)]
    [TestCase("request", 2)]
    public void Maps_the_ticket_type_to_GLPI_type(string type, int expected)
    {
        Assert.That(Map(TestTickets.Routed(type: type)).Type, Is.EqualTo(expected));
    }

    [TestCase("low", 2)]
    [TestCase("normal", 3)]
    [TestCase("high", 4)]
    [TestCase("critical", 5)]
    public void Maps_the_urgency_to_GLPI_urgency(string urgency, int expected)
    {
        Assert.That(Map(TestTickets.Routed(urgency: urgency)).Urgency, Is.EqualTo(expected));
    }

    [Test]
    public void Describes_the_requester_the_place_the_equipment_the_reference_and_the_routing()
    {
        var content = Map(TestTickets.Routed()).Content;

        Assert.That(content, Does.Contain("TH-2026-000042"));
        Assert.That(content, Does.Contain("Claire Martin").And.Contain("claire.martin@ac-creteil.fr").And.Contain("01 48 00 00 00"));
        Assert.That(content, Does.Contain("Collège Jean Moulin (0931234X), Montreuil"));
        Assert.That(content, Does.Contain("Salle 12, bâtiment B").And.Contain("HP LaserJet M404"));
        Assert.That(content, Does.Contain("l&#39;infogérant du Département qui intervient"));
        Assert.That(content, Does.Contain("Règle R4 (jeu de règles 93-2026.1)"));
        Assert.That(content, Does.Contain("« erreur 50 ».<br>Elle ne sort plus rien"), "line breaks are kept");
        Assert.That(GlpiReference.Names("TH-2026-000042", null, content, null), Is.True, "the description opens with the reference a lookup checks");
    }

    [Test]
    public void Escapes_what_people_wrote_so_that_GLPI_shows_it_as_text()
    {
        var routed = TestTickets.Routed();
        routed = routed with
        {
            Ticket = routed.Ticket with
            {
                Description = "<script>alert('x')</script> & \"co\"",
                Requester = new Requester("<b>Bob</b>", "bob@example.org", null),
                Location = "<img src=x onerror=alert(1)>",
            },
        };

        var content = Map(routed).Content;

        Assert.That(content, Does.Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
        Assert.That(content, Does.Contain("&lt;b&gt;Bob&lt;/b&gt;"));
        Assert.That(content, Does.Contain("&lt;img src=x onerror=alert(1)&gt;"));
        Assert.That(content, Does.Not.Contain("<script").And.Not.Contain("<img").And.Not.Contain("<b>"));
        Assert.That(content, Does.Not.Contain("Téléphone"), "an absent phone number leaves no empty line");
    }

    [Test]
    public void Warns_of_the_asbestos_survey_when_the_route_carries_the_DAT_amiante_flag()
    {
        var flagged = Map(TestTickets.Routed(flags: ["dat-amiante"])).Content;
        var plain = Map(TestTickets.Routed()).Content;

        Assert.That(flagged, Does.Contain("DAT amiante"));
        Assert.That(flagged.IndexOf("DAT amiante", StringComparison.Ordinal), Is.LessThan(flagged.IndexOf("Description", StringComparison.Ordinal)),
            "the warning comes before the description, where a technician sees it first");
        Assert.That(plain, Does.Not.Contain("amiante"));
    }

    [Test]
    public void Serializes_with_GLPI_field_names()
    {
        var input = Map(TestTickets.Routed(urgency: "critical", type: "request"));

        var json = JsonNode.Parse(JsonSerializer.Serialize(new GlpiInput<GlpiTicketInput>(input), GlpiJsonContext.Default.GlpiInputGlpiTicketInput))!;

        var fields = json["input"]!.AsObject().Select(field => field.Key);
        Assert.That(fields, Is.EquivalentTo(new[] { "name", "content", "entities_id", "itilcategories_id", "type", "urgency" }));
        Assert.That((int)json["input"]!["urgency"]!, Is.EqualTo(5));
        Assert.That((int)json["input"]!["type"]!, Is.EqualTo(2));
    }

    [Test]
    public void Names_the_college_by_its_UAI_when_the_registry_did_not_know_it()
    {
        var routed = TestTickets.Routed() with { College = null };

        Assert.That(Map(routed).Content, Does.Contain("<li>Collège : 0931234X</li>"));
    }

    [Test]
    public void Adds_the_queue_when_the_route_names_one()
    {
        var routed = TestTickets.Routed();
        routed = routed with { Route = routed.Route with { Queue = "Niveau 2" } };

        Assert.That(Map(routed).Content, Does.Contain(", file Niveau 2."));
    }

    [Test]
    public void Ignores_an_other_route_flag_in_the_content()
    {
        Assert.That(Map(TestTickets.Routed(flags: ["autre"])).Content, Does.Not.Contain("amiante"));
    }
}
