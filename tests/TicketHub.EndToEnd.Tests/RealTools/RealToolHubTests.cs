using System.Globalization;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>The hub reaches the real tools: a collège's ticket lands in the infogérant's GLPI or iTop, in the collège's own place.</summary>
[NonParallelizable]
public sealed class RealToolHubTests
{
    [Test]
    public async Task Forwards_a_collèges_ticket_to_the_real_GLPI_in_the_collèges_entity()
    {
        var hub = await RealHubs.GlpiAsync();
        var title = $"Harness GLPI {Guid.NewGuid():N}";

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(title));
        var glpiId = await hub.WaitForwardedAsync(id);

        using var glpi = new RealGlpiClient();
        var ticket = (await glpi.GetAsync($"Ticket/{glpiId}"))!;
        Assert.That(ticket["entities_id"]!.GetValue<int>(), Is.EqualTo(PeerTools.Glpi.Entity("0931234X").EntitiesId));
        Assert.That(ticket["name"]!.GetValue<string>(), Does.Contain(title));
    }

    [Test]
    public async Task Forwards_a_collèges_request_to_the_real_iTop_in_the_collèges_organization()
    {
        var hub = await RealHubs.ItopAsync();
        var title = $"Harness iTop {Guid.NewGuid():N}";

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(title, type: "request"));
        var key = await hub.WaitForwardedAsync(id);

        using var itop = new RealItopClient();
        var found = await itop.GetAsync("UserRequest", $"SELECT UserRequest WHERE id = {int.Parse(key, CultureInfo.InvariantCulture)}", "title,org_id,caller_id");
        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0]["title"]!.GetValue<string>(), Does.Contain(title));
        Assert.That(found[0]["org_id"]!.ToString(), Is.EqualTo(PeerTools.Itop.Org("0931234X").OrgId.ToString(CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task The_proxy_keeps_the_tools_answer_until_the_test_lets_it_through()
    {
        var hub = await RealHubs.GlpiAsync();
        var held = hub.Proxy.Hold(request => request.Method == "POST" && request.PathAndQuery.EndsWith("/Ticket", StringComparison.Ordinal)
            && request.Body.Contains("Harness hold", StringComparison.Ordinal));
        var title = $"Harness hold {Guid.NewGuid():N}";

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(title));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        var glpiId = JsonNode.Parse(held.ToolBody)!["id"]!.GetValue<int>();
        var meanwhile = await hub.Client.GetStringAsync($"/api/v1/tickets/{id}");
        held.Release();

        Assert.That(meanwhile, Does.Not.Contain("\"forwarded\""), "not forwarded while GLPI's answer is held");
        Assert.That(await hub.WaitForwardedAsync(id), Is.EqualTo(glpiId.ToString(CultureInfo.InvariantCulture)));
    }
}
