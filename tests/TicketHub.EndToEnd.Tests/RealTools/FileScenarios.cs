using System.Text;
using static TicketHub.RealTools.ScenarioSupport;

namespace TicketHub.RealTools;

/// <summary>
/// The collège's files, for the tools that take them as documents of their ticket (the real GLPI and
/// iTop; ADR 11): each stored once, even when the connector dies after the tool stored it and before
/// it recorded it. PASS and Omère take no file: their tickets name the files the hub keeps.
/// </summary>
[TestFixtureSource(nameof(Tools))]
[NonParallelizable]
public sealed class FileScenarios(IToolTakingFiles tool)
{
    public static IEnumerable<TestFixtureData> Tools() =>
    [
        new TestFixtureData(new RealGlpiUnderTest()).SetArgDisplayNames("GLPI 10"),
        new TestFixtureData(new RealItopUnderTest()).SetArgDisplayNames("iTop 3.2 ITIL"),
    ];

    private RealToolHub _hub = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _hub = await RealHubs.ForAsync(tool.Tool);

    [Test]
    public async Task A_file_the_tool_stored_while_the_connector_was_killed_is_stored_once()
    {
        var marker = Marker("file");
        var fileName = $"journal-{marker}.txt";
        var held = _hub.Proxy.Hold(request => tool.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal));

        var (id, reference) = await _hub.SubmitWithFileAsync(tool.NewTicket($"VPI et journal {marker}"), fileName,
            Encoding.UTF8.GetBytes($"Journal du VPI {marker}\n" + new string('x', 2048)), "text/plain");
        await held.Reached.WaitAsync(Settle);
        _hub.KillConnector();
        held.Drop();
        await _hub.StartConnectorAsync();
        // TicketForwarded may have been in the killed connector's outbox still: the restarted one sends it.
        var externalId = await _hub.WaitForwardedAsync(id);

        // The redelivered message finds the ticket delivered, then sends the files still missing.
        await _hub.EventuallyAsync(() => Task.FromResult(_hub.ConnectorLogLines($"Ticket {reference} already delivered").Count), count => count > 0, "the message handled again after the restart");
        await Task.Delay(TimeSpan.FromSeconds(5)); // a second upload, if any, lands meanwhile
        var documents = await tool.DocumentsAsync(externalId);
        Assert.That(documents.Select(document => document.FileName), Is.EqualTo(new[] { fileName }), "the file once on the ticket");
        Assert.That(_hub.Proxy.Seen.Count(request => tool.IsDocumentUpload(request) && request.Body.Contains(marker, StringComparison.Ordinal)),
            Is.EqualTo(1), "uploaded once: the restarted connector found the first upload");
        Assert.That(await tool.TicketsTitledAsync(marker), Is.EqualTo(new[] { externalId }), "and the ticket once");
    }

}
