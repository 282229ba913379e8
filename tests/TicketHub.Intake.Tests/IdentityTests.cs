using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Intake trusts the gateway's token and nothing else: who acts, and what a collège may learn of
/// tickets that are not its own.
/// </summary>
public class IdentityTests : IntakeFixture
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    private (Guid Id, string Reference) _own;
    private (Guid Id, string Reference) _other;
    private (Guid Id, string Reference) _pass;

    protected override async Task SetUpDataAsync()
    {
        _own = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(_own, RouteTargets.Infogerant, ExternalTools.Glpi);
        _other = await Tickets.ReceivedAsync(Other);
        await Tickets.RouteAsync(_other, RouteTargets.Infogerant, ExternalTools.Glpi);
        _pass = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(_pass, RouteTargets.Pass, ExternalTools.Pass);
    }

    private static string Token(HubUser user, InternalTokenOptions options, string signingKeyPem, DateTimeOffset issuedAt)
    {
        options.SigningKey = signingKeyPem;
        return InternalTokens.Issue(user, options, InternalTokens.LoadSigningKey(options), issuedAt);
    }

    public static IEnumerable<TestCaseData> RefusedTokens()
    {
        var now = DateTimeOffset.UtcNow;
        var admin = TestIdentity.Admin;
        yield return new TestCaseData((string?)null).SetName("No_token_is_a_401");
        yield return new TestCaseData("pas-un-jeton").SetName("A_token_that_is_not_a_JWT_is_a_401");
        yield return new TestCaseData(Token(admin, new InternalTokenOptions(), TestIdentity.PrivateKeyPem, now.AddMinutes(-10)))
            .SetName("An_expired_token_is_a_401");
        yield return new TestCaseData(Token(admin, new InternalTokenOptions(), InternalTokens.NewKeyPair().PrivatePem, now))
            .SetName("A_token_signed_with_another_key_is_a_401");
        yield return new TestCaseData(Token(admin, new InternalTokenOptions { Audience = "un-autre-service" }, TestIdentity.PrivateKeyPem, now))
            .SetName("A_token_for_another_audience_is_a_401");
        yield return new TestCaseData(Token(admin, new InternalTokenOptions { Issuer = "quelqu-un-d-autre" }, TestIdentity.PrivateKeyPem, now))
            .SetName("A_token_from_another_issuer_is_a_401");
    }

    [TestCaseSource(nameof(RefusedTokens))]
    public async Task Refused_token(string? token)
    {
        foreach (var path in new[] { "/api/v1/tickets", $"/api/v1/tickets/{_own.Id}", "/api/v1/triage", "/api/v1/relay", "/api/v1/admin/dead-letters" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await SendAsync(request, null);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Authentification requise"), path);
        }
    }

    [Test]
    public async Task A_valid_token_with_an_unknown_role_or_a_college_without_its_UAI_is_a_403()
    {
        foreach (var user in new[] { new HubUser("x", "X", "stagiaire", null, false), new HubUser("y", "Y", HubRoles.College, null, false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tickets");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.TokenFor(user));

            using var response = await SendAsync(request, null);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), user.Role);
        }
    }

    [Test]
    public async Task Health_checks_answer_without_a_token()
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health/live"), null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_forged_X_TicketHub_User_header_is_ignored_the_reroute_is_audited_under_the_token_s_user()
    {
        var ticket = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(ticket, RouteTargets.Triage, null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{ticket.Id}/reroute")
        {
            Content = JsonContent.Create(new { target = "pass", reason = "Application nationale." }),
        };
        request.Headers.Add("X-TicketHub-User", "admin.tie@seinesaintdenis.fr");

        using var response = await SendAsync(request, TestIdentity.Dispatcher);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await using var connection = new SqliteConnection(Factory.ConnectionString);
        var requestedBy = await connection.QuerySingleAsync<string>("SELECT requested_by FROM ticket_reroutes WHERE ticket_id = @Id", new { Id = ticket.Id.ToString() });
        Assert.That(requestedBy, Is.EqualTo("Aiguilleur de test (dispatcher)"));
        var ticketView = await Tickets.GetAsync(ticket.Id);
        Assert.That(ticketView["history"]!.AsArray().Last()!["note"]!.GetValue<string>(), Does.StartWith("Réorientée par Aiguilleur de test (dispatcher) vers"));
    }

    [Test]
    public async Task A_forged_X_TicketHub_User_header_does_not_make_a_college_an_administrator()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/dead-letters");
        request.Headers.Add("X-TicketHub-User", "admin.tie@seinesaintdenis.fr");

        using var response = await SendAsync(request, TestIdentity.College(Own));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    /// <summary>The three ways a collège can ask for a ticket that is not its own, on every endpoint that names a ticket.</summary>
    private IEnumerable<(string What, string Id)> NotItsOwn() =>
    [
        ("another collège's ticket by id", _other.Id.ToString()),
        ("another collège's ticket by reference", _other.Reference),
        ("a ticket that does not exist", Guid.NewGuid().ToString()),
        ("a reference that does not exist", "TH-2026-999999"),
        ("an id that is not an id", "pas-un-identifiant"),
    ];

    [Test]
    public async Task A_college_gets_the_same_403_for_another_college_s_ticket_and_for_a_ticket_that_does_not_exist()
    {
        var college = TestIdentity.College(Own);
        var answers = new List<(string What, HttpStatusCode Status, string Title, string Detail, string Keys)>();
        foreach (var (what, id) in NotItsOwn())
        {
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, $"/api/v1/tickets/{id}", null),
                (HttpMethod.Post, $"/api/v1/tickets/{id}/comments", new { text = "Bonjour" }),
                (HttpMethod.Get, $"/api/v1/tickets/{id}/attachments/{Guid.NewGuid()}", null),
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
                using var response = await SendAsync(request, college);
                var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                answers.Add(($"{what}: {method} {path}", response.StatusCode, problem["title"]!.GetValue<string>(), problem["detail"]!.GetValue<string>(),
                    string.Join(',', problem.Select(p => p.Key).Order(StringComparer.Ordinal))));
            }
        }

        Assert.That(answers.Select(a => a.Status).Distinct(), Is.EqualTo(new[] { HttpStatusCode.Forbidden }), string.Join('\n', answers));
        Assert.That(answers.Select(a => (a.Title, a.Detail, a.Keys)).Distinct().Count(), Is.EqualTo(1), string.Join('\n', answers));
        Assert.That(answers[0].Detail, Is.EqualTo("Aucune demande de votre collège ne porte cet identifiant."));
        Assert.That(await Factory.CountAsync("ticket_messages"), Is.Zero);
    }

    [Test]
    public async Task A_college_reads_and_comments_its_own_ticket()
    {
        var college = TestIdentity.College(Own);

        using var read = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{_own.Reference}"), college);
        using var comment = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{_own.Id}/comments") { Content = JsonContent.Create(new { text = "Merci." }) }, college);

        Assert.That((read.StatusCode, comment.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Created)));
    }

    [Test]
    public async Task The_other_roles_get_404_for_a_missing_ticket_and_403_for_one_outside_their_scope()
    {
        using var missing = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{Guid.NewGuid()}"), TestIdentity.Infogerant);
        using var outside = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{_pass.Id}"), TestIdentity.Infogerant);
        using var inside = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{_other.Id}"), TestIdentity.Infogerant);

        Assert.That((missing.StatusCode, outside.StatusCode, inside.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.OK)));
        var problem = await outside.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("infogérant"));
    }

    [Test]
    public async Task A_college_files_tickets_for_itself_only_the_dispatcher_for_any_college()
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = Other;
        var before = await Factory.CountAsync("tickets");

        using var college = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) }, TestIdentity.College(Own));
        Assert.That(college.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var problem = await college.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain(Own));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(before));

        using var dispatcher = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) }, TestIdentity.Dispatcher);
        Assert.That(dispatcher.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
