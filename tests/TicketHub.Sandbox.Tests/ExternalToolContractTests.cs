using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// PASS and Omère as the sandbox emulates them: the hub's contract (docs/api/outil-externe.openapi.yaml)
/// through HTTP, the same for both tools.
/// </summary>
[TestFixture("pass", "2026-000001")]
[TestFixture("omere", "OM-000001")]
public sealed class ExternalToolContractTests(string tool, string firstId)
{
    private SandboxApp _sandbox = null!;
    private HttpClient _api = null!;

    [SetUp]
    public void SetUp()
    {
        _sandbox = new SandboxApp();
        _api = _sandbox.ToolClient(tool);
    }

    [TearDown]
    public async Task TearDown()
    {
        _api.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Refuses_calls_without_the_right_bearer_token_with_a_401_problem()
    {
        using var anonymous = _sandbox.CreateClient();
        using var missing = await anonymous.GetAsync(new Uri($"/{tool}/api/tickets?reference=TH-1", UriKind.Relative));
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        using var wrong = await anonymous.PostAsJsonAsync(new Uri($"/{tool}/api/tickets", UriKind.Relative), ToolTickets.New("TH-1"));

        foreach (var response in new[] { missing, wrong })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Authentification requise"));
        }

        Assert.That(await ChangedSinceAsync(DateTimeOffset.MinValue), Is.Empty, "the refused POST created nothing");
    }

    [Test]
    public async Task Creates_a_ticket_then_returns_the_same_one_for_the_same_reference()
    {
        using var first = await _api.PostAsJsonAsync("tickets", ToolTickets.New("TH-2026-000123"));
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
        using var again = await _api.PostAsJsonAsync("tickets", ToolTickets.New("TH-2026-000123", "Autre titre"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(created.GetProperty("id").GetString(), Is.EqualTo(firstId));
        Assert.That(created.GetProperty("reference").GetString(), Is.EqualTo("TH-2026-000123"));
        Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("new"));
        Assert.That(created.GetProperty("queue").GetString(), Is.EqualTo("UT2"));
        Assert.That(created.GetProperty("url").GetString(), Is.EqualTo($"http://localhost/{tool}/tickets/{firstId}"));
        Assert.That(created.GetProperty("updatedAt").GetString(), Is.EqualTo("2026-11-20T09:00:00+00:00"));
        Assert.That(created.GetProperty("messages").GetArrayLength(), Is.Zero);
        Assert.That(first.Headers.Location?.OriginalString, Is.EqualTo($"/{tool}/api/tickets/{firstId}"));

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(created.GetRawText()), "the existing ticket, unchanged");
        Assert.That(await ChangedSinceAsync(DateTimeOffset.MinValue), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Refuses_a_ticket_that_breaks_the_contract_with_a_422_naming_each_field()
    {
        var ticket = ToolTickets.New("TH-2026-000124");
        ticket.Remove("title");
        ticket["college"]!.AsObject().Remove("uai");
        ticket["urgency"] = "urgent";
        ticket["requester"]!["email"] = "pas une adresse";
        ticket["createdAt"] = "2026-11-20 08:45:00";
        ticket["priority"] = 1;

        using var response = await _api.PostAsJsonAsync("tickets", ticket);

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Données invalides"));
        var errors = problem.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(error => error.Name),
            Is.EquivalentTo(new[] { "title", "college.uai", "urgency", "requester.email", "createdAt", "priority" }));
        Assert.That(errors.GetProperty("title")[0].GetString(), Is.EqualTo("Champ obligatoire."));
        Assert.That(errors.GetProperty("urgency")[0].GetString(), Does.Contain("low, normal, high, critical"));
        Assert.That(await ChangedSinceAsync(DateTimeOffset.MinValue), Is.Empty);
    }

    [Test]
    public async Task Refuses_a_body_that_is_not_JSON()
    {
        using var broken = await _api.PostAsync("tickets", new StringContent("{\"reference\":", Encoding.UTF8, "application/json"));
        using var form = await _api.PostAsync("tickets", new FormUrlEncodedContent([new("reference", "TH-1")]));

        Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(broken.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Finds_a_ticket_by_its_hub_reference()
    {
        var created = await ToolTickets.CreateAsync(_api, "TH-2026-000125");
        await ToolTickets.CreateAsync(_api, "TH-2026-000126");

        var found = await _api.GetFromJsonAsync<JsonElement>("tickets?reference=TH-2026-000125");
        var none = await _api.GetFromJsonAsync<JsonElement>("tickets?reference=TH-2026-999999");

        Assert.That(found.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()),
            Is.EqualTo(new[] { created.GetProperty("id").GetString() }));
        Assert.That(found.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(none.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(none.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Reads_the_changes_since_an_instant_page_by_page_in_updatedAt_then_id_order()
    {
        var ids = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add((await ToolTickets.CreateAsync(_api, $"TH-2026-00020{i}")).GetProperty("id").GetString()!);
            if (i != 3)
            {
                _sandbox.Clock.Advance(TimeSpan.FromMinutes(1)); // tickets 3 and 4 share an instant: the id decides
            }
        }

        var pages = new List<string[]>();
        var url = "tickets?updatedSince=" + Uri.EscapeDataString("2026-11-20T10:01:00+01:00") + "&limit=2";
        while (true)
        {
            var page = await _api.GetFromJsonAsync<JsonElement>(url);
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)]);
            if (page.GetProperty("next").GetString() is not { } next)
            {
                break;
            }

            Assert.That(pages, Has.Count.LessThan(10), "next must end");
            url = "tickets?limit=2&cursor=" + Uri.EscapeDataString(next);
        }

        Assert.That(pages.Select(page => page.Length), Is.EqualTo(new[] { 2, 2 }), "09:00 is before the instant: four tickets from 09:01");
        Assert.That(pages.SelectMany(page => page), Is.EqualTo(ids.Skip(1)));
    }

    [Test]
    public async Task Refuses_a_bad_query_with_a_400_problem()
    {
        foreach (var query in new[]
        {
            "tickets",
            "tickets?updatedSince=2026-11-20T09:00:00",
            "tickets?updatedSince=2026-11-20T09:00:00+01:00", // '+' not encoded: arrives as a space
            "tickets?updatedSince=2026-11-20T09:00:00Z&limit=0",
            "tickets?updatedSince=2026-11-20T09:00:00Z&limit=501",
            "tickets?cursor=pas-un-curseur",
            "tickets?reference=TH-1&updatedSince=2026-11-20T09:00:00Z",
        })
        {
            using var response = await _api.GetAsync(query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), query);
        }
    }

    [Test]
    public async Task Adds_a_message_once_per_hubMessageId_and_moves_updatedAt()
    {
        var id = (await ToolTickets.CreateAsync(_api, "TH-2026-000130")).GetProperty("id").GetString()!;
        var message = new JsonObject
        {
            ["hubMessageId"] = "3f1c2a4e-8d0b-4c55-9a7e-2f6b1d9c0e11",
            ["body"] = "Le problème touche aussi la salle 14.",
            ["authorName"] = "Claire Martin",
        };
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(2));

        using var added = await _api.PostAsJsonAsync($"tickets/{id}/messages", message);
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(2));
        message["hubMessageId"] = "3F1C2A4E-8D0B-4C55-9A7E-2F6B1D9C0E11"; // the same UUID
        using var again = await _api.PostAsJsonAsync($"tickets/{id}/messages", message);

        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var first = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(first.GetRawText()));
        Assert.That(first.GetProperty("authorRole").GetString(), Is.EqualTo("hub"));
        Assert.That(first.GetProperty("public").GetBoolean(), Is.True);
        Assert.That(first.GetProperty("hubMessageId").GetString(), Is.EqualTo("3f1c2a4e-8d0b-4c55-9a7e-2f6b1d9c0e11"));

        var ticket = await ToolTickets.GetAsync(_api, id);
        Assert.That(ticket.GetProperty("messages").GetArrayLength(), Is.EqualTo(1));
        Assert.That(ticket.GetProperty("messages")[0].GetProperty("authorName").GetString(), Is.EqualTo("Claire Martin"));
        Assert.That(ToolTickets.UpdatedAt(ticket), Is.EqualTo(new DateTimeOffset(2026, 11, 20, 9, 2, 0, TimeSpan.Zero)), "moved by the message, not by its repeat");
    }

    [Test]
    public async Task Refuses_a_message_that_breaks_the_contract_or_targets_no_ticket()
    {
        var id = (await ToolTickets.CreateAsync(_api, "TH-2026-000131")).GetProperty("id").GetString()!;

        using var invalid = await _api.PostAsJsonAsync($"tickets/{id}/messages", new { hubMessageId = "42", body = "", authorName = "Claire" });
        using var unknown = await _api.PostAsJsonAsync("tickets/NOPE-1/messages", new { hubMessageId = Guid.NewGuid(), body = "b", authorName = "a" });
        using var missing = await _api.GetAsync("tickets/NOPE-1");

        Assert.That((int)invalid.StatusCode, Is.EqualTo(422));
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(error => error.Name), Is.EquivalentTo(new[] { "hubMessageId", "body" }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Keeps_tickets_across_a_restart_when_a_state_file_is_set()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sandbox-{tool}-{Guid.NewGuid():N}");
        var section = tool == "pass" ? "Pass" : "Omere";
        var settings = new Dictionary<string, string?> { [$"Sandbox:{section}:StateFile"] = Path.Combine(folder, "state.json") };
        try
        {
            using (var app = new SandboxApp(settings))
            using (var client = app.ToolClient(tool))
            {
                await ToolTickets.CreateAsync(client, "TH-2026-000140");
            }

            using var restarted = new SandboxApp(settings);
            using var api = restarted.ToolClient(tool);
            var second = await ToolTickets.CreateAsync(api, "TH-2026-000141");
            using var repeated = await api.PostAsJsonAsync("tickets", ToolTickets.New("TH-2026-000140"));

            Assert.That(second.GetProperty("id").GetString(), Does.EndWith("000002"));
            Assert.That(repeated.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the reference is still known");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private async Task<JsonElement[]> ChangedSinceAsync(DateTimeOffset since)
    {
        var page = await _api.GetFromJsonAsync<JsonElement>("tickets?limit=500&updatedSince=" + Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
