using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>The classifier trusts the gateway's token and nothing else, and a collège reads its own record only.</summary>
public sealed class IdentityTests
{
    private const string Own = "0931234X";
    private const string Other = "0932101C";

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HubUser? user, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null)
        {
            request.As(user);
        }

        using var anonymous = ClassifierApp.Factory.CreateClient();
        var response = await (user is null ? anonymous : ClassifierApp.Client).SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string Token(InternalTokenOptions options, string signingKeyPem, DateTimeOffset issuedAt)
    {
        options.SigningKey = signingKeyPem;
        return InternalTokens.Issue(TestIdentity.Admin, options, InternalTokens.LoadSigningKey(options), issuedAt);
    }

    public static IEnumerable<TestCaseData> RefusedTokens()
    {
        var now = DateTimeOffset.UtcNow;
        yield return new TestCaseData((string?)null).SetName("No_token_is_a_401");
        yield return new TestCaseData(Token(new InternalTokenOptions(), TestIdentity.PrivateKeyPem, now.AddMinutes(-10))).SetName("An_expired_token_is_a_401");
        yield return new TestCaseData(Token(new InternalTokenOptions(), InternalTokens.NewKeyPair().PrivatePem, now)).SetName("A_token_signed_with_another_key_is_a_401");
        yield return new TestCaseData(Token(new InternalTokenOptions { Audience = "un-autre-service" }, TestIdentity.PrivateKeyPem, now)).SetName("A_token_for_another_audience_is_a_401");
    }

    [TestCaseSource(nameof(RefusedTokens))]
    public async Task Refused_token(string? token)
    {
        foreach (var path in new[] { "/api/v1/colleges", $"/api/v1/colleges/{Own}", "/api/v1/categories", "/api/v1/ruleset" })
        {
            using var anonymous = ClassifierApp.Factory.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await anonymous.SendAsync(request);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Authentification requise"));
        }
    }

    [Test]
    public async Task A_college_reads_its_own_record_and_gets_the_same_403_for_another_college_or_one_that_does_not_exist()
    {
        var college = TestIdentity.College(Own);

        using var own = await SendAsync(HttpMethod.Get, $"/api/v1/colleges/{Own}", college);
        using var other = await SendAsync(HttpMethod.Get, $"/api/v1/colleges/{Other}", college);
        using var missing = await SendAsync(HttpMethod.Get, "/api/v1/colleges/0939999Z", college);

        Assert.That((own.StatusCode, other.StatusCode, missing.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        var a = await other.Content.ReadFromJsonAsync<JsonElement>();
        var b = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(a.GetProperty("detail").GetString(), Is.EqualTo(b.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task A_college_does_not_list_the_registry_nor_read_histories_but_reads_the_categories()
    {
        var college = TestIdentity.College(Own);

        using var list = await SendAsync(HttpMethod.Get, "/api/v1/colleges", college);
        using var history = await SendAsync(HttpMethod.Get, $"/api/v1/colleges/{Own}/history", college);
        using var categories = await SendAsync(HttpMethod.Get, "/api/v1/categories", college);

        Assert.That((list.StatusCode, history.StatusCode, categories.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Only_an_administrator_changes_the_registry()
    {
        var body = JsonContent.Create(new { name = "Collège Jean Moulin", commune = "Aubervilliers", ut = "UT4", citeMixte = false });

        using var dispatcher = await SendAsync(HttpMethod.Put, $"/api/v1/colleges/{Own}", TestIdentity.Dispatcher, body);
        using var import = await SendAsync(HttpMethod.Post, "/api/v1/colleges/import", TestIdentity.Dispatcher,
            new StringContent("uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear\n", System.Text.Encoding.UTF8, "text/csv"));

        Assert.That((dispatcher.StatusCode, import.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        var college = await ClassifierApp.Client.GetFromJsonAsync<JsonElement>($"/api/v1/colleges/{Own}");
        Assert.That(college.GetProperty("ut").GetString(), Is.EqualTo("UT1"));
    }
}
