using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// A collège's ticket through the real path: gateway → intake (stored) → RabbitMQ → classifier
/// (routed) → GLPI connector (created in GLPI) → status back in intake. These tests run one after
/// the other: one of them stops the broker.
/// </summary>
[NonParallelizable]
public class TicketJourneyTests
{
    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    private static async Task<(string Id, string Reference)> SubmitAsync(JsonObject body, string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        using var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (accepted!["id"]!.GetValue<string>(), accepted["reference"]!.GetValue<string>());
    }

    [Test]
    public async Task Ticket_posted_through_the_gateway_is_created_once_in_GLPI_and_shown_forwarded()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var (id, reference) = await SubmitAsync(TicketBody(), $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var ticket = await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "forwarded", Journey);

        var creations = Glpi.CreationsFor(reference);
        Assert.That(creations, Has.Count.EqualTo(1), "exactly one POST /Ticket for this reference");
        var input = creations[0].Input;
        Assert.Multiple(() =>
        {
            Assert.That(input["name"]!.GetValue<string>(), Is.EqualTo($"[{reference}] Le VPI de la salle 12 ne s'allume plus"), "GLPI 10 keeps the reference in the title");
            Assert.That(input.ContainsKey("externalid"), Is.False, "GLPI 10 has no externalid");
            Assert.That(input["_users_id_requester_notif"]?["alternative_email"]?[0]?.GetValue<string>(), Does.Contain("@"), "the requester is notified by e-mail");
            Assert.That(input["entities_id"]!.GetValue<int>(), Is.EqualTo(GlpiEntityOfKnownCollege));
            Assert.That(input["itilcategories_id"]!.GetValue<int>(), Is.EqualTo(GlpiCategoryOfVpi));
            Assert.That(input["type"]!.GetValue<int>(), Is.EqualTo(1), "incident");
            Assert.That(input["urgency"]!.GetValue<int>(), Is.EqualTo(4), "high");
            Assert.That(input["content"]!.GetValue<string>(), Does.Contain("Depuis ce matin, le VPI reste éteint."));
            Assert.That(input["content"]!.GetValue<string>(), Does.Not.Contain("<b>Merci</b>"), "user text is HTML-escaped");
            Assert.That(input["content"]!.GetValue<string>(), Does.Contain(reference));

            Assert.That(ticket["route"]!["target"]!.GetValue<string>(), Is.EqualTo("infogerant"));
            Assert.That(ticket["route"]!["tool"]!.GetValue<string>(), Is.EqualTo("glpi"));
            Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R4"));
            Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(ticket["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("glpi"));
            Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(ticket["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()), Does.Contain("forwarded"));
        });

        Assert.That(creations[0].TraceParent, Does.Contain(traceId.ToString()),
            "the W3C trace started by the caller reaches GLPI through gateway, intake, the bus, the classifier and the connector");
    }

    [Test]
    public async Task Ticket_accepted_while_the_broker_is_down_is_forwarded_once_when_it_returns()
    {
        Broker.Stop();
        try
        {
            var (id, reference) = await SubmitAsync(TicketBody());

            await WaitForNotReadyAsync(Intake.BaseAddress);
            var meanwhile = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
            Assert.That(meanwhile!["status"]!.GetValue<string>(), Is.EqualTo("received"));

            Broker.Start();
            var ticket = await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "forwarded", TimeSpan.FromSeconds(120));

            Assert.That(Glpi.CreationsFor(reference), Has.Count.EqualTo(1));
            Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.Not.Empty);
        }
        finally
        {
            if (!Broker.IsListening())
            {
                Broker.Start();
            }
        }
    }

    private static async Task WaitForNotReadyAsync(Uri service)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail("intake never reported not-ready while the broker was down");
    }

    [Test]
    public async Task Ticket_from_an_unknown_college_waits_in_triage_with_the_reason()
    {
        var (id, reference) = await SubmitAsync(TicketBody(uai: "0930000A"));

        var ticket = await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "triage", Journey);

        Assert.That(ticket["route"]!["target"]!.GetValue<string>(), Is.EqualTo("triage"));
        Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Does.Contain("0930000A").Or.Contains("référentiel").Or.Contains("inconnu"));
        Assert.That(Glpi.CreationsFor(reference), Is.Empty);
    }

    [Test]
    public async Task ZA_ticket_of_a_college_registered_as_not_taken_over_goes_to_PASS_not_GLPI()
    {
        var college = new JsonObject
        {
            ["name"] = "Collège Test Sans Reprise",
            ["commune"] = "Bobigny",
            ["ut"] = "UT2",
            ["citeMixte"] = false,
            ["zaRepriseDate"] = null,
            ["builtYear"] = 2005,
        };
        using (var put = await Client.PutAsJsonAsync("/api/v1/colleges/0939998Z", college))
        {
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        }

        var (id, reference) = await SubmitAsync(TicketBody(uai: "0939998Z", zone: "ZA", category: "poste-administratif"));

        var ticket = await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "forwarded", Journey);
        Assert.That(ticket["route"]!["target"]!.GetValue<string>(), Is.EqualTo("pass"));
        Assert.That(ticket["external"]!["tool"]!.GetValue<string>(), Is.EqualTo("pass"));
        Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("R7"));
        Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Does.Contain("Rectorat"));
        Assert.That(Glpi.CreationsFor(reference), Is.Empty);
    }

    [Test]
    public async Task Categories_and_colleges_are_served_through_the_gateway()
    {
        var categories = await Client.GetFromJsonAsync<JsonArray>("/api/v1/categories");
        var college = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/colleges/{KnownCollege}");

        Assert.That(categories!.Select(c => c!["code"]!.GetValue<string>()), Is.SupersetOf(new[]
        {
            "poste-pedagogique", "poste-administratif", "vpi", "reseau", "wifi", "imprimante", "serveur",
            "logiciel-pedagogique", "application-metier-en", "ent", "batiment",
        }));
        Assert.That(college!["uai"]!.GetValue<string>(), Is.EqualTo(KnownCollege));
    }

    [Test]
    public async Task Body_over_the_gateway_limit_is_refused_with_413_and_nothing_is_stored()
    {
        // 256 KB everywhere but on the requests that carry attachments (ticket creation: 52 MB).
        var (id, _) = await SubmitAsync(TicketBody());
        var body = new JsonObject { ["text"] = new string('x', 300_000) };

        using var response = await Client.PostAsync($"/api/v1/tickets/{id}/comments", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Requête trop volumineuse"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("256 Ko"), "refused by the gateway");
        var ticket = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
        Assert.That(ticket!["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "comment"), Is.Empty);
    }

    [Test]
    public async Task Malformed_JSON_through_the_gateway_gets_a_French_400()
    {
        using var response = await Client.PostAsync("/api/v1/tickets", new StringContent("{\"collegeUai\": ", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("JSON valide"));
    }

    [Test]
    public async Task Unknown_path_through_the_gateway_is_a_French_404_problem()
    {
        using var response = await Client.GetAsync("/api/v1/nothing-here");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
