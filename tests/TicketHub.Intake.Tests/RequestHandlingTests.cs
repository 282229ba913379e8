using System.Net;
using System.Text;
using System.Text.Json;
using TicketHub.Intake.Tests.Support;

namespace TicketHub.Intake.Tests;

/// <summary>
/// What the hostile-input sweep found, one case each: bodies and parameters the framework or the
/// JSON reader used to turn into a 500, an English 400 or an accepted ticket.
/// </summary>
public class RequestHandlingTests : IntakeTest
{
    private static byte[] ValidTicket() => Encoding.UTF8.GetBytes(TicketRequestParserTests.ValidBody().ToJsonString());

    private Task<HttpResponseMessage> PostTicketAsync(HttpContent content) => Client.PostAsync("/api/v1/tickets", content);

    private static ByteArrayContent Json(byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo(title));
        }

        return problem;
    }

    [TestCase("abc")]
    [TestCase("99999999999")]
    [TestCase("1e3")]
    public async Task A_query_parameter_that_is_not_a_number_gets_a_French_400_naming_it(string limit)
    {
        var response = await Client.GetAsync($"/api/v1/triage?limit={limit}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Requête invalide");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo($"Le paramètre « limit » n'accepte pas la valeur « {limit} » : un nombre entier est attendu."));
            Assert.That(problem.GetProperty("errors").GetProperty("limit")[0].GetString(), Does.StartWith("Valeur invalide"));
        }
    }

    [Test]
    public async Task A_method_the_route_does_not_take_gets_a_French_405_problem()
    {
        var response = await Client.DeleteAsync("/api/v1/tickets");

        var problem = await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "Méthode non autorisée");
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("Cette méthode HTTP n'est pas acceptée à cette adresse."));
    }

    [TestCase("application/json; charset=x-inconnu")]
    [TestCase("application/json; charset=\"unknown\"")]
    [TestCase("application/json; charset=")]
    public async Task A_charset_that_cannot_be_decoded_gets_415_and_nothing_is_stored(string contentType)
    {
        var response = await PostTicketAsync(Json(ValidTicket(), contentType));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Type de contenu non pris en charge");
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("Le jeu de caractères"));
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
    }

    [Test]
    public async Task A_quoted_utf8_charset_is_valid_HTTP_and_accepted()
    {
        var response = await PostTicketAsync(Json(ValidTicket(), "application/json; charset=\"utf-8\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    [TestCase("\\ud800")]
    [TestCase("Salle \\udc00 12")]
    [TestCase("\\ud83d")]
    public async Task Half_of_a_surrogate_pair_in_a_string_gets_400_not_500_and_nothing_is_stored(string escaped)
    {
        var body = Encoding.UTF8.GetString(ValidTicket()).Replace("\"Salle 12\"", $"\"{escaped}\"", StringComparison.Ordinal);

        var response = await PostTicketAsync(Json(Encoding.UTF8.GetBytes(body)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Requête invalide");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Unicode valide"));
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
    }

    [Test]
    public async Task Half_of_a_surrogate_pair_in_a_field_name_gets_400_not_500()
    {
        var body = Encoding.UTF8.GetString(ValidTicket()).Replace("\"location\"", "\"lo\\ud800cation\"", StringComparison.Ordinal);

        var response = await Client.PostAsync("/api/v1/tickets", Json(Encoding.UTF8.GetBytes(body)));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Requête invalide");
    }

    [TestCase(new byte[] { 0xFF })]
    [TestCase(new byte[] { 0xC0, 0xAF })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Bytes_that_are_not_UTF8_get_400_not_500_and_nothing_is_stored(byte[] invalid)
    {
        var valid = ValidTicket();
        var at = Encoding.UTF8.GetString(valid).IndexOf("Salle 12", StringComparison.Ordinal);
        byte[] body = [.. valid[..at], .. invalid, .. valid[at..]];

        var response = await PostTicketAsync(Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Requête invalide");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("UTF-8"));
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
    }

    [TestCase(true, TestName = "A_body_over_256_KB_gets_413_whatever_the_host_when_its_length_is_announced")]
    [TestCase(false, TestName = "A_body_over_256_KB_gets_413_whatever_the_host_when_it_is_streamed")]
    public async Task A_body_over_256_KB_gets_413_whatever_the_host(bool announced)
    {
        // Valid JSON, padded with white space: only its size is wrong. The test server has no
        // Kestrel limits, so this is intake's own check.
        var body = new byte[256 * 1024 + 1];
        Array.Fill(body, (byte)' ');
        ValidTicket().CopyTo(body, 0);
        HttpContent content = announced ? Json(body) : new UnknownLengthContent(body, "application/json");

        var response = await PostTicketAsync(content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "Requête trop volumineuse");
        Assert.That(await Factory.CountAsync("tickets"), Is.Zero);
    }

    [Test]
    public async Task A_body_just_under_the_limit_is_accepted()
    {
        var body = new byte[256 * 1024];
        Array.Fill(body, (byte)' ');
        ValidTicket().CopyTo(body, 0);

        var response = await PostTicketAsync(Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
