using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// The GLPI connector, as it runs, adds a ticket's files to the emulated GLPI: what the connector
/// uploads is what the emulator keeps and shows, once per file however often the message comes.
/// </summary>
public sealed class DocumentsAgainstSandboxTests
{
    private SandboxApp _sandbox = null!;
    private GlpiConnectorApp _connector = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new SandboxApp();
        _connector = new GlpiConnectorApp(_sandbox);
        _harness = _connector.Services.GetTestHarness();
        await _harness.Start();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _connector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Adds_each_file_to_the_emulated_GLPI_ticket_once_with_its_name_size_type_and_content()
    {
        var ticketId = Guid.NewGuid();
        var photo = FakeIntake.Jpeg(7, length: 5000);
        var note = "Relevé des erreurs\nerreur 50"u8.ToArray();
        var files = new[]
        {
            _connector.Intake.Serves(ticketId, "écran <salle 12>.jpg", "image/jpeg", photo),
            _connector.Intake.Serves(ticketId, "relevé.txt", "text/plain", note),
        };
        var routed = Routed(ticketId, files);
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        var documents = await DocumentsAsync(expected: 2);
        await _harness.Bus.Publish(routed, context => context.MessageId = messageId);
        await _harness.InactivityTask;

        documents = await DocumentsAsync(expected: 2);
        Assert.That(documents.Select(document => document.GetProperty("tickets").EnumerateArray().Single().GetInt32()), Is.All.EqualTo(1));
        Assert.That(documents.Select(document => document.GetProperty("name").GetString()), Is.All.StartWith("Document : Ticket - [TH-2026-000777] "),
            "GLPI 10 names a document linked on upload after the ticket");
        Assert.That(documents.Select(document => (document.GetProperty("filename").GetString(), document.GetProperty("mime").GetString(), document.GetProperty("filesize").GetInt64(), document.GetProperty("sha256").GetString())),
            Is.EqualTo(files.Select(file => (file.FileName, file.ContentType, file.Size, file.Sha256))),
            "the emulator received the very files intake holds, under their own names");
        Assert.That(documents.Select(document => document.GetProperty("entities_id").GetInt32()), Is.All.EqualTo(12));

        using var browser = _sandbox.CreateClient();
        var page = await browser.GetStringAsync(new Uri("/glpi/tickets/1", UriKind.Relative));
        Assert.That(page, Does.Contain($"<td>{System.Net.WebUtility.HtmlEncode("écran <salle 12>.jpg")}</td><td>5 Ko</td><td>image/jpeg</td>"));
        Assert.That(page, Does.Not.Contain("<salle 12>"));
    }

    private async Task<JsonElement[]> DocumentsAsync(int expected)
    {
        using var client = _sandbox.CreateClient();
        JsonElement[] documents = [];
        await Eventually.TrueAsync(async () =>
        {
            documents = await client.GetFromJsonAsync<JsonElement[]>(new Uri("/glpi/_sandbox/documents", UriKind.Relative)) ?? [];
            return documents.Length >= expected;
        }, $"{expected} documents in the emulated GLPI", seconds: 30);
        Assert.That(documents, Has.Length.EqualTo(expected));
        return documents;
    }

    private static TicketRouted Routed(Guid ticketId, AttachmentRef[] files) => new(
        ticketId,
        "TH-2026-000777",
        DateTimeOffset.UtcNow,
        new TicketDetails("0931234X", new Requester("Claire Martin", "claire.martin@ac-creteil.fr", null), "ZP", "imprimante", "incident",
            BuildingImpact: false, "Imprimante en panne", "Elle affiche « erreur 50 ».", "normal", "Salle 12", null, files),
        new RouteDecision(RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", "93-2026.1", "Zone pédagogique : infogérant.", []),
        new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Montreuil", "UT2"),
        DateTimeOffset.UtcNow);
}
