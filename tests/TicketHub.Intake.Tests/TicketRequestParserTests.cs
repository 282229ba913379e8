using System.Text.Json;
using System.Text.Json.Nodes;
using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Tests;

public class TicketRequestParserTests
{
    internal static JsonObject ValidBody() => new()
    {
        ["collegeUai"] = "0931234X",
        ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr", ["phone"] = "01 48 00 00 00" },
        ["zone"] = "ZP",
        ["category"] = "vpi",
        ["type"] = "incident",
        ["buildingImpact"] = false,
        ["title"] = "Le VPI de la salle 12 ne s'allume plus",
        ["description"] = "Depuis ce matin.\nRien à faire.",
        ["urgency"] = "high",
        ["location"] = "Salle 12",
        ["equipment"] = "VPI Epson",
    };

    private static ParseResult Parse(JsonNode body)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        return TicketRequestParser.Parse(document.RootElement);
    }

    [Test]
    public void Accepts_a_complete_ticket_and_keeps_every_field()
    {
        var result = Parse(ValidBody());

        Assert.That(result.Errors, Is.Null);
        var details = result.Ticket!.Details;
        Assert.Multiple(() =>
        {
            Assert.That(details.CollegeUai, Is.EqualTo("0931234X"));
            Assert.That(details.Requester.Name, Is.EqualTo("Claire Martin"));
            Assert.That(details.Requester.Email, Is.EqualTo("claire.martin@ac-creteil.fr"));
            Assert.That(details.Requester.Phone, Is.EqualTo("01 48 00 00 00"));
            Assert.That(details.Zone, Is.EqualTo("ZP"));
            Assert.That(details.Category, Is.EqualTo("vpi"));
            Assert.That(details.Type, Is.EqualTo("incident"));
            Assert.That(details.Title, Is.EqualTo("Le VPI de la salle 12 ne s'allume plus"));
            Assert.That(details.Description, Is.EqualTo("Depuis ce matin.\nRien à faire."));
            Assert.That(details.Urgency, Is.EqualTo("high"));
            Assert.That(details.Location, Is.EqualTo("Salle 12"));
            Assert.That(details.Equipment, Is.EqualTo("VPI Epson"));
        });
    }

    [Test]
    public void Applies_defaults_for_type_urgency_building_impact_and_unknown_zone()
    {
        var body = ValidBody();
        body.Remove("type");
        body.Remove("urgency");
        body.Remove("buildingImpact");
        body["zone"] = null;

        var details = Parse(body).Ticket!.Details;

        Assert.Multiple(() =>
        {
            Assert.That(details.Type, Is.EqualTo("incident"));
            Assert.That(details.Urgency, Is.EqualTo("normal"));
            Assert.That(details.BuildingImpact, Is.False);
            Assert.That(details.Zone, Is.Null);
        });
    }

    public static IEnumerable<TestCaseData> InvalidBodies()
    {
        TestCaseData Case(string name, Action<JsonObject> change, string field) =>
            new TestCaseData(change, field).SetName($"Rejects_{name}");

        yield return Case("missing_uai", b => b.Remove("collegeUai"), "collegeUai");
        yield return Case("uai_in_lower_case", b => b["collegeUai"] = "0931234x", "collegeUai");
        yield return Case("uai_too_short", b => b["collegeUai"] = "093123X", "collegeUai");
        yield return Case("uai_in_arabic_indic_digits", b => b["collegeUai"] = "٠٩٣١٢٣٤X", "collegeUai");
        yield return Case("uai_in_full_width_digits", b => b["collegeUai"] = "０９３１２３４X", "collegeUai");
        yield return Case("uai_as_number", b => b["collegeUai"] = 931234, "collegeUai");
        yield return Case("missing_requester", b => b.Remove("requester"), "requester");
        yield return Case("requester_as_string", b => b["requester"] = "Claire", "requester");
        yield return Case("requester_without_name", b => b["requester"]!.AsObject().Remove("name"), "requester.name");
        yield return Case("requester_without_email", b => b["requester"]!.AsObject().Remove("email"), "requester.email");
        yield return Case("invalid_email", b => b["requester"]!["email"] = "claire.martin", "requester.email");
        yield return Case("invalid_phone", b => b["requester"]!["phone"] = "appelez-moi", "requester.phone");
        yield return Case("unknown_requester_field", b => b["requester"]!["role"] = "CPE", "requester.role");
        yield return Case("unknown_zone", b => b["zone"] = "ZX", "zone");
        yield return Case("zone_in_lower_case", b => b["zone"] = "zp", "zone");
        yield return Case("missing_category", b => b.Remove("category"), "category");
        yield return Case("unknown_category", b => b["category"] = "cafetiere", "category");
        yield return Case("unknown_type", b => b["type"] = "panne", "type");
        yield return Case("building_impact_as_string", b => b["buildingImpact"] = "yes", "buildingImpact");
        yield return Case("missing_title", b => b.Remove("title"), "title");
        yield return Case("blank_title", b => b["title"] = "   ", "title");
        yield return Case("title_over_200_characters", b => b["title"] = new string('a', 201), "title");
        yield return Case("title_with_line_break", b => b["title"] = "deux\nlignes", "title");
        yield return Case("missing_description", b => b.Remove("description"), "description");
        yield return Case("description_over_10000_characters", b => b["description"] = new string('a', 10_001), "description");
        yield return Case("description_with_nul_character", b => b["description"] = "a\u0000b", "description");
        yield return Case("description_as_array", b => b["description"] = new JsonArray("a"), "description");
        yield return Case("unknown_urgency", b => b["urgency"] = "urgent", "urgency");
        yield return Case("location_over_200_characters", b => b["location"] = new string('a', 201), "location");
        yield return Case("equipment_as_number", b => b["equipment"] = 12, "equipment");
        yield return Case("unknown_field", b => b["priority"] = 1, "priority");
    }

    [TestCaseSource(nameof(InvalidBodies))]
    public void Rejects_invalid_field_with_a_French_message(Action<JsonObject> change, string field)
    {
        var body = ValidBody();
        change(body);

        var result = Parse(body);

        Assert.That(result.Ticket, Is.Null);
        Assert.That(result.Errors!.Keys, Does.Contain(field));
        Assert.That(result.Errors![field], Has.All.Matches<string>(m => m!.Length > 10 && !m!.Contains("The ", StringComparison.Ordinal)));
    }

    [Test]
    public void Reports_every_error_at_once()
    {
        var result = Parse(new JsonObject { ["collegeUai"] = "x", ["zone"] = "?" });

        Assert.That(result.Errors!.Keys, Is.SupersetOf(new[] { "collegeUai", "requester", "zone", "category", "title", "description" }));
    }

    [Test]
    public void Rejects_a_body_that_is_not_an_object()
    {
        using var document = JsonDocument.Parse("[1, 2]");

        Assert.That(TicketRequestParser.Parse(document.RootElement).Errors!.Keys, Does.Contain("$"));
    }

    [TestCase("title", "Facture \u202Egnp.exe", TestName = "Rejects_bidi_override_characters_in_the_title")]
    [TestCase("description", "Texte \u2067isolé\u2069", TestName = "Rejects_bidi_isolate_characters_in_the_description")]
    public void Rejects_bidi_control_characters(string field, string value)
    {
        var body = ValidBody();
        body[field] = value;

        var result = Parse(body);

        Assert.That(result.Errors![field].Single(), Does.Contain("sens d'affichage"));
    }

    [Test]
    public void Keeps_right_to_left_and_accented_text_unchanged()
    {
        var body = ValidBody();
        body["description"] = "Écran noir — الشاشة سوداء \u200Fabc <script>alert(1)</script> ' OR 1=1 --";

        var details = Parse(body).Ticket!.Details;

        Assert.That(details.Description, Is.EqualTo("Écran noir — الشاشة سوداء \u200Fabc <script>alert(1)</script> ' OR 1=1 --"));
    }
}
