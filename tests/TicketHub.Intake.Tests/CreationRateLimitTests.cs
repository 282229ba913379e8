using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>Ticket creation is limited per caller: a person per minute, an API key per second.</summary>
public class CreationRateLimitTests : IntakeFixture
{
    private const int PerPerson = 3;
    private const int PerKey = 5;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["TicketCreation:RateLimit:PerPersonPerMinute"] = PerPerson.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TicketCreation:RateLimit:PerKeyPerSecond"] = PerKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<HttpResponseMessage> CreateAsync(HubUser user, string uai = "0931234X")
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) }, user);
    }

    [Test]
    public async Task A_person_over_the_limit_gets_a_French_429_with_Retry_After_and_nothing_is_stored()
    {
        var person = TestIdentity.College("0931234X", "Secrétariat pressé");
        for (var i = 0; i < PerPerson; i++)
        {
            using var accepted = await CreateAsync(person);
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), $"ticket {i + 1}");
        }

        var stored = await Factory.CountAsync("tickets");
        using var refused = await CreateAsync(person);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Trop de requêtes"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("réessayez"));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(stored));
    }

    [Test]
    public async Task Each_person_has_their_own_count()
    {
        var first = TestIdentity.College("0935678Z", "Premier");
        var second = TestIdentity.College("0935678Z", "Second") with { Id = "test-college-second" };
        for (var i = 0; i < PerPerson; i++)
        {
            using var _ = await CreateAsync(first, "0935678Z");
        }

        using var refused = await CreateAsync(first, "0935678Z");
        using var other = await CreateAsync(second, "0935678Z");

        Assert.That((refused.StatusCode, other.StatusCode), Is.EqualTo((HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted)));
    }

    [Test]
    public async Task Reading_is_not_limited()
    {
        var person = new HubUser("lecteur", "Lecteur", HubRoles.Dispatcher, null, false);
        for (var i = 0; i < PerPerson * 4; i++)
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/tickets"), person);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task An_API_key_is_limited_per_second_not_per_minute()
    {
        var key = new HubUser("cle-import", "Import ENT", HubRoles.Dispatcher, null, IsApiKey: true);

        // A burst of twice a minute's worth for a person: a key gets more than a person would, and
        // is still stopped within the same second or two.
        var started = DateTime.UtcNow;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await CreateAsync(key);
            return response.StatusCode;
        }));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.That(statuses.Except([HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests]), Is.Empty);
        Assert.That(accepted, Is.GreaterThan(PerPerson), "more than a person's minute");
        Assert.That(accepted, Is.LessThanOrEqualTo(PerKey * ((int)Math.Ceiling(seconds) + 1)), $"at most {PerKey} a second ({seconds:0.0} s)");
        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests));
    }
}
