using System.Globalization;
using System.Text.Json.Nodes;
using static TicketHub.RealTools.ScenarioSupport;

namespace TicketHub.RealTools;

/// <summary>
/// The infogérant's visit (issue 14) against the real GLPI and iTop: what the technician records on the
/// visit sheet for a ticket reaches the tool's ticket once, said to be the visit's work (not « Message du
/// collège »), and the collège's timeline, and never comes back as a reply.
/// </summary>
[TestFixtureSource(typeof(FileScenarios), nameof(FileScenarios.Tools))]
[NonParallelizable]
public sealed class VisitScenarios(IToolTakingFiles tool)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private RealToolHub _hub = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _hub = await RealHubs.ForAsync(tool.Tool);

    [Test]
    public async Task A_visits_note_reaches_the_tools_ticket_once_as_the_technicians_work_on_site_and_never_comes_back_as_a_reply()
    {
        var marker = Marker("visit");
        var (id, _) = await _hub.SubmitAsync(tool.NewTicket($"VPI sans image {marker}"));
        var externalId = await _hub.WaitForwardedAsync(id);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime);
        var note = $"Câble HDMI <salle 12> remplacé & image revenue ({marker}).";
        var visit = new
        {
            collegeUai = "0931234X",
            visitedOn = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            technician = "Karim Benali",
            notes = new[] { new { ticket = id, text = note } },
        };

        var path = $"/api/v1/visits/{Guid.NewGuid()}";
        await _hub.SendAsAsync("infogerant", HttpMethod.Put, path, visit);
        await _hub.SendAsAsync("infogerant", HttpMethod.Put, path, visit); // the sheet sent twice (a tablet's second tap)
        await _hub.EventuallyAsync(() => tool.MessagesAsync(externalId), messages => messages.Any(m => m.Contains(marker, StringComparison.Ordinal)), "the note in the tool");

        // A technician's later reply that reaches the hub proves the sync has read past the note.
        var later = $"Télécommande à remplacer aussi ({marker}).";
        await tool.ReplyAsync(externalId, new TechnicianText($"<p>{later}</p>", later));
        var ticket = await _hub.WaitForTicketAsync(id, t => Timeline(t).Any(e => e["text"]?.GetValue<string>() == later), Settle);

        var inTool = (await tool.MessagesAsync(externalId)).Where(m => m.Contains(note, StringComparison.Ordinal)).ToList();
        Assert.That(inTool, Has.Count.EqualTo(1), "the note once in the tool, as written");
        Assert.That(inTool[0], Does.Contain($"Intervention sur site du {day:dd/MM/yyyy} (Karim Benali)").And.Not.Contain("Message du collège"));
        var about = Timeline(ticket).Where(e => e["text"]?.GetValue<string>() == note).ToList();
        Assert.That(about.Select(e => e["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "visit" }), "once in the hub, as the visit's: " + ticket["timeline"]!.ToJsonString());
    }

    private static IEnumerable<JsonObject> Timeline(JsonObject ticket) => ticket["timeline"]!.AsArray().Select(e => e!.AsObject());
}
