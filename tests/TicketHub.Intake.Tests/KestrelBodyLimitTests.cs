using System.Net;
using System.Net.Http.Json;
using System.Text;
using TicketHub.Intake.Tests.Support;

namespace TicketHub.Intake.Tests;

/// <summary>
/// On Kestrel itself (the test server has no body limits): JSON bodies keep the small limit
/// (<c>Intake:MaxRequestBodySize</c>, 256 KB), a ticket sent as a form with files is allowed its
/// files' size, for that request only.
/// </summary>
public class KestrelBodyLimitTests
{
    private IntakeFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartOnKestrel()
    {
        _factory = new IntakeFactory(new Dictionary<string, string?> { ["Urls"] = "http://127.0.0.1:0" });
        _factory.UseKestrel(0);
        _factory.StartServer();
        _client = _factory.CreateDefaultClient(new FreshTokenHandler(TestIdentity.Admin));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public void The_client_talks_to_Kestrel() =>
        Assert.That(_client.BaseAddress!.Port, Is.Not.EqualTo(80).And.Not.EqualTo(0));

    [Test]
    public async Task A_ticket_with_3_MB_of_files_is_accepted()
    {
        var file = new byte[3 * 1024 * 1024];
        SampleFiles.Pdf.CopyTo(file, 0);
        var form = new TicketFormBody().Ticket(TicketRequestParserTests.ValidBody().ToJsonString()).File("plan.pdf", file);

        using var response = await _client.PostAsync("/api/v1/tickets", form.ToContent());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_JSON_body_over_256_KB_is_still_refused_elsewhere()
    {
        using var created = await _client.PostAsJsonAsync("/api/v1/tickets", TicketRequestParserTests.ValidBody());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        using var response = await _client.PostAsJsonAsync($"{created.Headers.Location}/comments", new { text = new string('x', 300 * 1024) });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_JSON_ticket_over_256_KB_is_still_refused()
    {
        var body = new byte[300 * 1024];
        Array.Fill(body, (byte)' ');
        Encoding.UTF8.GetBytes(TicketRequestParserTests.ValidBody().ToJsonString()).CopyTo(body, 0);

        using var response = await _client.PostAsync("/api/v1/tickets", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }
}
