using System.Globalization;
using System.Net;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>
/// What only GLPI has, checked through the real broker and processes against the real GLPI 10.0.11:
/// every mapped field and the requester where GLPI keeps them, and its API session, which GLPI ends
/// when it expires. The promises every tool keeps are <see cref="ToolScenarios"/>. Each test has
/// tickets of its own.
/// </summary>
[NonParallelizable]
public sealed class GlpiScenarios
{
    private static RealGlpi Glpi => PeerTools.Glpi;

    [Test]
    public async Task Creates_the_ticket_once_with_every_mapped_field_and_the_requester_named()
    {
        var hub = await RealHubs.GlpiAsync();
        var title = $"VPI éteint {Guid.NewGuid():N}";

        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody(title));
        var glpiId = await hub.WaitForwardedAsync(id);

        using var glpi = new RealGlpiClient();
        var ticket = (await glpi.GetAsync($"Ticket/{glpiId}"))!;
        var college = Glpi.Entity("0931234X");
        Assert.That(ticket["name"]!.GetValue<string>(), Is.EqualTo($"[{reference}] {title}"), "the reference where GLPI 10 keeps it");
        Assert.That(ticket["entities_id"]!.GetValue<int>(), Is.EqualTo(college.EntitiesId));
        Assert.That(ticket["itilcategories_id"]!.GetValue<int>(), Is.EqualTo(Glpi.Categories["Matériel"]));
        Assert.That(ticket["type"]!.GetValue<int>(), Is.EqualTo(1), "incident");
        Assert.That(ticket["urgency"]!.GetValue<int>(), Is.EqualTo(4), "high");
        Assert.That(ticket["status"]!.GetValue<int>(), Is.EqualTo(1));
        var content = WebUtility.HtmlDecode(ticket["content"]!.GetValue<string>());
        Assert.That(content, Does.StartWith($"<p>Demande transmise par TicketHub, référence <strong>{reference}</strong>.</p>"));
        Assert.That(content, Does.Contain("<p>L&#39;élève a « tout essayé » : câble &amp; télécommande.</p>"), "the collège's text, encoded once, its paragraphs kept");
        var requesters = (await glpi.GetAsync($"Ticket/{glpiId}/Ticket_User"))!.AsArray();
        Assert.That(requesters.Select(user => (user!["type"]!.GetValue<int>(), user["users_id"]!.GetValue<int>())), Is.EqualTo(new[] { (1, college.RequesterUsersId) }),
            "the GLPI user with the requester's e-mail asked");
        Assert.That(await glpi.TicketsTitledAsync($"[{reference}]"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Opens_a_new_session_and_forwards_the_ticket_once_when_GLPI_ended_the_connector_s_session()
    {
        var hub = await RealHubs.GlpiAsync();
        var (first, _) = await hub.SubmitAsync(RealToolHub.TicketBody($"Session ouverte {Guid.NewGuid():N}"));
        await hub.WaitForwardedAsync(first);
        var session = hub.Proxy.Seen.Last(request => request.Headers.ContainsKey("Session-Token")).Headers["Session-Token"];

        // What GLPI does when a session expires (its PHP session is gone): every call with the token gets 401.
        await RealGlpiClient.KillSessionAsync(session);
        var marker = Guid.NewGuid().ToString("N");
        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody($"Session expirée {marker}"));
        var glpiId = await hub.WaitForwardedAsync(id);

        // The sync, polling every second, may meet the ended session before the ticket does: any call
        // with the old token can only have been refused after the kill.
        var seen = hub.Proxy.Seen.ToList();
        var refused = seen.FindIndex(request => request.Headers.GetValueOrDefault("Session-Token") == session && request.Status == HttpStatusCode.Unauthorized);
        Assert.That(refused, Is.GreaterThanOrEqualTo(0), "GLPI refused the ended session");
        Assert.That(seen.Skip(refused).Any(request => request.PathAndQuery.EndsWith("/initSession", StringComparison.Ordinal) && request.Status == HttpStatusCode.OK),
            Is.True, "the connector opened a new session");
        using var glpi = new RealGlpiClient();
        Assert.That((await glpi.TicketsTitledAsync(marker)).Select(ticket => ticket.Id.ToString(CultureInfo.InvariantCulture)), Is.EqualTo(new[] { glpiId }),
            $"one GLPI ticket for {reference}");
    }
}
