using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.Intake.Tests.Support;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>What intake stores over 24 hours is bounded per collège and per caller, with a French 429 or 413.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class QuotaTests(DatabaseProvider provider) : IntakeFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["TicketCreation:Quota:TicketsPerCollegePerDay"] = "3",
        ["TicketCreation:Quota:TicketsPerCallerPerDay"] = "4",
        ["TicketCreation:Quota:AttachmentBytesPerCollegePerDay"] = "3000",
        ["TicketCreation:Quota:AttachmentBytesPerCallerPerDay"] = "100000",
        ["TicketCreation:RateLimit:PerPersonPerMinute"] = "1000",
    };

    private async Task<HttpResponseMessage> CreateAsync(HubUser user, string uai, byte[]? file = null, string? idempotencyKey = null)
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
        {
            Content = file is null ? JsonContent.Create(body) : new TicketFormBody().Ticket(body.ToJsonString()).File("note.txt", file).ToContent(),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await SendAsync(request, user);
    }

    [Test]
    public async Task A_college_over_its_daily_ticket_quota_gets_a_French_429_while_another_college_still_files()
    {
        var dispatcher = new HubUser("quota-aiguilleur", "Aiguilleur", HubRoles.Dispatcher, null, false);
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await CreateAsync(TestIdentity.College("0930001A") with { Id = $"quota-personne-{i}" }, "0930001A");
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        using var refused = await CreateAsync(dispatcher, "0930001A");
        using var other = await CreateAsync(dispatcher, "0930002B");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the quota is the collège's, whoever files");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("quota de 3 demandes sur 24 heures"));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task An_api_key_over_its_daily_ticket_quota_gets_a_French_429_whatever_the_college()
    {
        var key = new HubUser("quota-cle", "Import", HubRoles.Dispatcher, null, IsApiKey: true);
        var statuses = new List<HttpStatusCode>();
        foreach (var uai in new[] { "0930011A", "0930012B", "0930013C", "0930014D", "0930015E" })
        {
            using var response = await CreateAsync(key, uai);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Attachments_over_the_colleges_daily_storage_quota_get_a_French_413_and_nothing_is_stored()
    {
        var person = TestIdentity.College("0930021A");
        using var first = await CreateAsync(person, "0930021A", new byte[2000].Select(_ => (byte)'a').ToArray());
        var stored = await Factory.CountAsync("tickets");

        using var second = await CreateAsync(person, "0930021A", new byte[2000].Select(_ => (byte)'b').ToArray());
        using var withoutFile = await CreateAsync(person, "0930021A");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var problem = await second.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("quota").And.Contain("sans pièce jointe"));
        Assert.That(withoutFile.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a ticket without files still goes through");
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(stored + 1));
    }

    [Test]
    public async Task Files_of_a_comment_count_against_the_colleges_daily_storage_quota_too()
    {
        var person = TestIdentity.College("0930041A");
        using var created = await CreateAsync(person, "0930041A", new byte[2000].Select(_ => (byte)'a').ToArray());
        var ticket = created.Headers.Location!.ToString();
        var files = await Factory.CountAsync("ticket_attachments");

        using var withFile = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{ticket}/comments")
        {
            Content = new TicketFormBody().Comment("Voici le relevé.").File("releve.txt", new byte[2000].Select(_ => (byte)'b').ToArray()).ToContent(),
        }, person);
        using var withoutFile = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{ticket}/comments") { Content = JsonContent.Create(new { text = "Sans fichier." }) }, person);

        Assert.That(withFile.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var problem = await withFile.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("quota").And.Contain("sans pièce jointe"));
        Assert.That(withoutFile.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a comment without files still goes through");
        Assert.That(await Factory.CountAsync("ticket_attachments"), Is.EqualTo(files), "no file of the comment stored");
    }

    [Test]
    public async Task A_retry_with_the_same_Idempotency_Key_gets_its_ticket_even_when_the_quota_is_reached()
    {
        var person = TestIdentity.College("0930031A");
        using var first = await CreateAsync(person, "0930031A", idempotencyKey: "quota-k1");
        using var second = await CreateAsync(person, "0930031A");
        using var third = await CreateAsync(person, "0930031A");

        using var retry = await CreateAsync(person, "0930031A", idempotencyKey: "quota-k1");

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
    }
}
