using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Sandbox.Tests;

/// <summary>The emulated apirest.php answers as GLPI's documentation says GLPI does.</summary>
public sealed class GlpiEmulatorTests
{
    private const string Api = SandboxApp.Api;

    private SandboxApp _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:ForbiddenEntities:0"] = "66" });

    [TearDown]
    public async Task TearDown() => await _sandbox.DisposeAsync();

    [Test]
    public async Task Opens_a_session_for_the_right_user_token_and_app_token()
    {
        using var client = _sandbox.CreateClient();

        using var response = await SendAsync(client, HttpMethod.Get, "/initSession", ("App-Token", SandboxApp.AppToken), ("Authorization", "user_token " + SandboxApp.UserToken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("session_token").GetString(), Is.Not.Empty);
    }

    [TestCase("wrong", "user_token " + SandboxApp.UserToken, 400, "ERROR_WRONG_APP_TOKEN_PARAMETER")]
    [TestCase(null, "user_token " + SandboxApp.UserToken, 400, "ERROR_APP_TOKEN_PARAMETERS_MISSING")]
    [TestCase(SandboxApp.AppToken, "user_token wrong", 401, "ERROR_GLPI_LOGIN_USER_TOKEN")]
    [TestCase(SandboxApp.AppToken, null, 400, "ERROR_LOGIN_PARAMETERS_MISSING")]
    [TestCase(SandboxApp.AppToken, "Basic Z2xwaTpnbHBp", 400, "ERROR_LOGIN_WITH_CREDENTIALS_DISABLED")]
    public async Task Refuses_a_session_with_GLPI_error(string? appToken, string? authorization, int status, string code)
    {
        using var client = _sandbox.CreateClient();
        var headers = new List<(string, string)>();
        if (appToken is not null)
        {
            headers.Add(("App-Token", appToken));
        }

        if (authorization is not null)
        {
            headers.Add(("Authorization", authorization));
        }

        using var response = await SendAsync(client, HttpMethod.Get, "/initSession", [.. headers]);

        await response.AssertGlpiErrorAsync(status, code);
    }

    [Test]
    public async Task Asks_for_a_session_token_and_refuses_an_unknown_one()
    {
        using var client = _sandbox.CreateClient();
        client.DefaultRequestHeaders.Add("App-Token", SandboxApp.AppToken);

        using var missing = await client.GetAsync(new Uri($"{Api}/Ticket/1", UriKind.Relative));
        using var unknown = await SendAsync(client, HttpMethod.Get, "/Ticket/1", ("Session-Token", "0123456789abcdef"));

        Assert.That(await missing.AssertGlpiErrorAsync(400, "ERROR_SESSION_TOKEN_MISSING"), Does.Contain("view documentation in your browser at"));
        Assert.That(await unknown.AssertGlpiErrorAsync(401, "ERROR_SESSION_TOKEN_INVALID"), Is.EqualTo("session_token seems invalid"));
    }

    [Test]
    public async Task Expires_a_session_left_unused_longer_than_its_lifetime()
    {
        using var client = await _sandbox.LogInAsync();
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(20));
        using var stillAlive = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(29));
        using var usedAgain = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(31));

        using var expired = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));

        Assert.That(stillAlive.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(usedAgain.StatusCode, Is.EqualTo(HttpStatusCode.OK), "each use starts the lifetime again");
        await expired.AssertGlpiErrorAsync(401, "ERROR_SESSION_TOKEN_INVALID");
    }

    [Test]
    public async Task Closes_the_session_on_killSession()
    {
        using var client = await _sandbox.LogInAsync();

        using var kill = await client.GetAsync(new Uri($"{Api}/killSession", UriKind.Relative));
        using var after = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));

        Assert.That(kill.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await after.AssertGlpiErrorAsync(401, "ERROR_SESSION_TOKEN_INVALID");
    }

    [Test]
    public async Task Creates_a_ticket_and_points_to_it()
    {
        using var client = await _sandbox.LogInAsync();

        using var response = await PostAsync(client, "/Ticket", """{"input":{"name":"Wi-Fi HS","content":"<p>Plus de réseau</p>","entities_id":12,"itilcategories_id":"7","type":2,"urgency":5,"externalid":"TH-1"}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString(), Is.EqualTo("""{"id":1,"message":""}"""));
        Assert.That(response.Headers.Location?.AbsolutePath, Is.EqualTo($"{Api}/Ticket/1"));
        var ticket = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket/1", UriKind.Relative));
        Assert.That(ticket.GetProperty("name").GetString(), Is.EqualTo("Wi-Fi HS"));
        Assert.That(ticket.GetProperty("content").GetString(), Is.EqualTo("&#60;p&#62;Plus de réseau&#60;/p&#62;"), "GLPI 10 returns its HTML encoded once more");
        Assert.That(ticket.GetProperty("entities_id").GetInt32(), Is.EqualTo(12));
        Assert.That(ticket.GetProperty("itilcategories_id").GetInt32(), Is.EqualTo(7), "numbers may come as strings, as PHP allows");
        Assert.That(ticket.GetProperty("type").GetInt32(), Is.EqualTo(2));
        Assert.That(ticket.GetProperty("urgency").GetInt32(), Is.EqualTo(5));
        Assert.That(ticket.GetProperty("status").GetInt32(), Is.EqualTo(1), "a new ticket is new");
        Assert.That(ticket.TryGetProperty("externalid", out _), Is.False, "GLPI 10 has no externalid: dropped without a word");
        Assert.That(ticket.GetProperty("date_mod").GetString(), Is.EqualTo("2026-11-20 10:00:00"), "dates are in the server's time zone");
    }

    [Test]
    public async Task Creates_several_tickets_and_reports_the_ones_it_refused()
    {
        using var client = await _sandbox.LogInAsync();

        using var all = await PostAsync(client, "/Ticket", """{"input":[{"name":"a","content":"a"},{"name":"b","content":"b"}]}""");
        using var partial = await PostAsync(client, "/Ticket", """{"input":[{"name":"c","content":"c"},{"name":"d","content":""}]}""");

        Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(JsonNode.Parse(await all.Content.ReadAsStringAsync())!.ToJsonString(), Is.EqualTo("""[{"id":1,"message":""},{"id":2,"message":""}]"""));
        Assert.That(await partial.AssertGlpiErrorAsync(207, "ERROR_GLPI_PARTIAL_ADD"), Does.Contain("\"id\":false"));
    }

    [Test]
    public async Task Refuses_a_body_without_input_objects()
    {
        using var client = await _sandbox.LogInAsync();

        using var noInput = await PostAsync(client, "/Ticket", """{"name":"x"}""");
        using var notJson = await PostAsync(client, "/Ticket", "{input:");

        await noInput.AssertGlpiErrorAsync(400, "ERROR_BAD_ARRAY");
        await notJson.AssertGlpiErrorAsync(400, "ERROR_JSON_PAYLOAD_INVALID");
    }

    [Test]
    public async Task Refuses_a_ticket_without_description_or_in_a_forbidden_entity()
    {
        using var client = await _sandbox.LogInAsync();

        using var empty = await PostAsync(client, "/Ticket", """{"input":{"name":"x","content":" "}}""");
        using var forbidden = await PostAsync(client, "/Ticket", """{"input":{"name":"x","content":"y","entities_id":66}}""");

        Assert.That(await empty.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD"), Does.Contain("Description"));
        Assert.That(await forbidden.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD"), Is.EqualTo("You don't have permission to perform this action."));
    }

    [Test]
    public async Task Answers_404_for_an_unknown_ticket()
    {
        using var client = await _sandbox.LogInAsync();

        using var response = await client.GetAsync(new Uri($"{Api}/Ticket/99", UriKind.Relative));

        Assert.That(await response.AssertGlpiErrorAsync(404, "ERROR_ITEM_NOT_FOUND"), Is.EqualTo("Item not found"));
    }

    [Test]
    public async Task Lists_tickets_whose_field_contains_the_search_text_page_by_page()
    {
        using var client = await _sandbox.LogInAsync();
        foreach (var reference in new[] { "TH-1", "TH-10", "TH-2", "TH-11" })
        {
            (await PostAsync(client, "/Ticket", """{"input":{"name":"REF","content":"c","externalid":"REF"}}""".Replace("REF", reference, StringComparison.Ordinal))).Dispose();
        }

        using var firstPage = await client.GetAsync(new Uri($"{Api}/Ticket?searchText%5Bname%5D=TH-1&range=0-1", UriKind.Relative));
        using var lastPage = await client.GetAsync(new Uri($"{Api}/Ticket?searchText[name]=TH-1&range=2-3", UriKind.Relative));
        using var exact = await client.GetAsync(new Uri($"{Api}/Ticket?searchText[name]=^TH-1$", UriKind.Relative));
        using var beyond = await client.GetAsync(new Uri($"{Api}/Ticket?searchText[name]=TH-1&range=5-9", UriKind.Relative));
        using var byExternalId = await client.GetAsync(new Uri($"{Api}/Ticket?searchText[externalid]=TH-1", UriKind.Relative));

        Assert.That(firstPage.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(ContentRange(firstPage), Is.EqualTo("0-1/3"));
        Assert.That(await NamesAsync(firstPage), Is.EqualTo(new[] { "TH-1", "TH-10" }));
        Assert.That(lastPage.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent), "GLPI answers 206 whenever the range is smaller than the total");
        Assert.That(ContentRange(lastPage), Is.EqualTo("2-2/3"));
        Assert.That(await NamesAsync(lastPage), Is.EqualTo(new[] { "TH-11" }));
        Assert.That(exact.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await NamesAsync(exact), Is.EqualTo(new[] { "TH-1" }));
        await beyond.AssertGlpiErrorAsync(400, "ERROR_RANGE_EXCEED_TOTAL");
        Assert.That(byExternalId.StatusCode, Is.EqualTo(HttpStatusCode.OK), "GLPI 10: a PHP fatal on the unknown column");
        Assert.That(byExternalId.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await byExternalId.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task Searches_tickets_modified_after_a_date()
    {
        using var client = await _sandbox.LogInAsync();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"old","content":"c"}}""")).Dispose();
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(20));
        (await PostAsync(client, "/Ticket", """{"input":{"name":"new 1","content":"c"}}""")).Dispose();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"new 2","content":"c"}}""")).Dispose();
        const string Since = "criteria[0][field]=19&criteria[0][searchtype]=morethan&criteria[0][value]=2026-11-20 10:10:00";

        using var page = await client.GetAsync(new Uri($"{Api}/search/Ticket?{Since}&forcedisplay[0]=2&sort=2&order=ASC&range=0-0", UriKind.Relative));
        using var none = await client.GetAsync(new Uri($"{Api}/search/Ticket?criteria[0][field]=19&criteria[0][searchtype]=morethan&criteria[0][value]=2026-11-21", UriKind.Relative));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(ContentRange(page), Is.EqualTo("0-0/2"));
        var body = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("totalcount").GetInt32(), Is.EqualTo(2));
        Assert.That(body.GetProperty("count").GetInt32(), Is.EqualTo(1));
        Assert.That(body.GetProperty("data")[0].GetProperty("2").GetInt32(), Is.EqualTo(2));
        Assert.That(body.GetProperty("data")[0].GetProperty("1").GetString(), Is.EqualTo("new 1"));
        Assert.That(body.GetProperty("data")[0].GetProperty("19").GetString(), Is.EqualTo("2026-11-20 10:20:00"));
        Assert.That(body.GetProperty("content-range").GetString(), Is.EqualTo("0-0/2"));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var empty = await none.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(empty.GetProperty("totalcount").GetInt32(), Is.Zero);
        Assert.That(empty.TryGetProperty("data", out _), Is.False, "GLPI leaves data out when nothing matched");
    }

    [TestCase("criteria[0][field]=999&criteria[0][searchtype]=equals&criteria[0][value]=1", "Bad field ID in search criteria")]
    [TestCase("criteria[0][field]=19&criteria[0][value]=1", "Malformed search criteria")]
    public async Task Refuses_a_malformed_search(string query, string message)
    {
        using var client = await _sandbox.LogInAsync();

        using var response = await client.GetAsync(new Uri($"{Api}/search/Ticket?{query}", UriKind.Relative));

        Assert.That(await response.AssertGlpiErrorAsync(400, "ERROR"), Does.StartWith(message));
    }

    [Test]
    public async Task Adds_follow_ups_to_a_ticket_and_touches_its_date_mod()
    {
        using var client = await _sandbox.LogInAsync();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"t","content":"c"}}""")).Dispose();
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));

        using var nested = await PostAsync(client, "/Ticket/1/ITILFollowup", """{"input":{"itemtype":"Ticket","items_id":1,"content":"Le technicien passe jeudi."}}""");
        using var unnamed = await PostAsync(client, "/Ticket/1/ITILFollowup", """{"input":{"content":"Sans ticket nommé"}}""");
        using var direct = await PostAsync(client, "/ITILFollowup", """{"input":{"itemtype":"Ticket","items_id":1,"content":"Merci","is_private":1}}""");
        using var orphan = await PostAsync(client, "/ITILFollowup", """{"input":{"itemtype":"Ticket","items_id":42,"content":"?"}}""");

        Assert.That(nested.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(nested.Headers.Location?.AbsolutePath, Is.EqualTo($"{Api}/ITILFollowup/1"));
        Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await orphan.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD");
        await unnamed.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD");
        var followups = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket/1/ITILFollowup", UriKind.Relative));
        Assert.That(followups.EnumerateArray().Select(followup => followup.GetProperty("content").GetString()), Is.EqualTo(new[] { "Le technicien passe jeudi.", "Merci" }));
        Assert.That(followups[1].GetProperty("is_private").GetInt32(), Is.EqualTo(1));
        var ticket = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket/1", UriKind.Relative));
        Assert.That(ticket.GetProperty("date_mod").GetString(), Is.EqualTo("2026-11-20 10:05:00"));
        using var unknownTicket = await client.GetAsync(new Uri($"{Api}/Ticket/42/ITILFollowup", UriKind.Relative));
        await unknownTicket.AssertGlpiErrorAsync(404, "ERROR_ITEM_NOT_FOUND");
    }

    [Test]
    public async Task Updates_the_status_and_dates_the_solution()
    {
        using var client = await _sandbox.LogInAsync();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"t","content":"c"}}""")).Dispose();
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(20));

        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Api}/Ticket/1") { Content = Json("""{"input":{"status":5}}""") };
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString(), Is.EqualTo("""[{"1":true,"message":""}]"""));
        var ticket = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket/1", UriKind.Relative));
        Assert.That(ticket.GetProperty("status").GetInt32(), Is.EqualTo(5));
        Assert.That(ticket.GetProperty("solvedate").GetString(), Is.EqualTo("2026-11-20 10:20:00"));
    }

    [Test]
    [TestCase(10, null)]
    [TestCase(11, "TH-7")]
    public async Task Counts_follow_ups_and_shows_the_external_id_in_search_results_from_GLPI_11_on(int version, string? externalId)
    {
        await _sandbox.DisposeAsync();
        _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var client = await _sandbox.LogInAsync();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"t","content":"c","externalid":"TH-7"}}""")).Dispose();
        (await PostAsync(client, "/Ticket/1/ITILFollowup", """{"input":{"itemtype":"Ticket","items_id":1,"content":"un"}}""")).Dispose();
        (await PostAsync(client, "/Ticket/1/ITILFollowup", """{"input":{"itemtype":"Ticket","items_id":1,"content":"deux","is_private":1}}""")).Dispose();

        var body = await client.GetFromJsonAsync<JsonElement>(new Uri(
            $"{Api}/search/Ticket?criteria[0][field]=2&criteria[0][searchtype]=equals&criteria[0][value]=1&forcedisplay[0]=27&forcedisplay[1]=87", UriKind.Relative));
        var options = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/listSearchOptions/Ticket", UriKind.Relative));

        var row = body.GetProperty("data")[0];
        Assert.That(row.GetProperty("27").GetInt32(), Is.EqualTo(2), "GLPI's \"Number of followups\", private ones included for the API account");
        Assert.That(row.TryGetProperty("87", out var shown) ? shown.GetString() : null, Is.EqualTo(externalId), "GLPI 10 ignores an unknown column to show");
        Assert.That(options.TryGetProperty("87", out _), Is.EqualTo(externalId is not null), "the search options say whether tickets have externalid");
    }

    [Test]
    public async Task Tells_which_user_the_session_belongs_to_and_names_users()
    {
        using var client = await _sandbox.LogInAsync();

        var session = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/getFullSession", UriKind.Relative));
        var technician = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/User/5", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri($"{Api}/User/99", UriKind.Relative));

        Assert.That(session.GetProperty("session").GetProperty("glpiID").GetInt32(), Is.EqualTo(10), "hub-api, as in the real GLPI's fixtures");
        Assert.That(technician.GetProperty("firstname").GetString(), Is.EqualTo("Marc"));
        Assert.That(technician.GetProperty("realname").GetString(), Is.EqualTo("Durand"));
        await unknown.AssertGlpiErrorAsync(404, "ERROR_ITEM_NOT_FOUND");
    }

    [Test]
    public async Task Lists_a_ticket_s_solutions()
    {
        using var client = await _sandbox.LogInAsync();
        (await PostAsync(client, "/Ticket", """{"input":{"name":"t","content":"c"}}""")).Dispose();
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(30));
        _sandbox.Services.GetRequiredService<TicketHub.Sandbox.Glpi.GlpiStore>().Solve(1, 5, "Câble remplacé.");

        using var response = await client.GetAsync(new Uri($"{Api}/Ticket/1/ITILSolution", UriKind.Relative));
        using var unknownTicket = await client.GetAsync(new Uri($"{Api}/Ticket/42/ITILSolution", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var solution = (await response.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.That(solution.GetProperty("content").GetString(), Is.EqualTo("Câble remplacé."));
        Assert.That(solution.GetProperty("users_id").GetInt32(), Is.EqualTo(5));
        Assert.That(solution.GetProperty("date_creation").GetString(), Is.EqualTo("2026-11-20 10:30:00"));
        var ticket = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket/1", UriKind.Relative));
        Assert.That(ticket.GetProperty("status").GetInt32(), Is.EqualTo(5));
        Assert.That(ticket.GetProperty("date_mod").GetString(), Is.EqualTo("2026-11-20 10:30:00"));
        await unknownTicket.AssertGlpiErrorAsync(404, "ERROR_ITEM_NOT_FOUND");
    }

    [Test]
    public async Task Refuses_an_itemtype_it_does_not_emulate()
    {
        using var client = await _sandbox.LogInAsync();

        using var response = await client.GetAsync(new Uri($"{Api}/Computer/1", UriKind.Relative));

        await response.AssertGlpiErrorAsync(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, $"{Api}{path}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(new Uri($"{Api}{path}", UriKind.Relative), Json(json));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string? ContentRange(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Range", out var values) ? values.ToString() : null;

    private static async Task<string?[]> NamesAsync(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(ticket => ticket.GetProperty("name").GetString())];
}
