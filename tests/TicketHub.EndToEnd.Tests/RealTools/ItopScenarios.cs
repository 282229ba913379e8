using System.Globalization;
using System.Text.Json.Nodes;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>
/// What only iTop has, checked through the real broker and processes against the real iTop 3.2 with
/// the ITIL modules (<see cref="RealToolHub"/>): incidents land in the class Incident and requests in
/// UserRequest, with every mapped field. The promises every tool keeps are
/// <see cref="ToolScenarios"/>.
/// </summary>
[NonParallelizable]
public sealed class ItopScenarios
{
    [Test]
    public async Task An_incident_lands_in_the_class_Incident_with_every_mapped_field_and_the_subcategory_for_incidents()
    {
        var hub = await RealHubs.ItopAsync();
        var title = Title("incident");

        var (id, reference) = await hub.SubmitAsync(RealToolHub.TicketBody(title, uai: "0931235A"));
        var key = await hub.WaitForwardedAsync(id);

        var ticket = await ReadAsync("Incident", key, "title,org_id,caller_id,urgency,origin,status,description,service_id,servicesubcategory_id");
        var college = PeerTools.Itop.Org("0931235A");
        var service = PeerTools.Itop.Service;
        Assert.Multiple(() =>
        {
            Assert.That(ticket["title"]!.GetValue<string>(), Is.EqualTo(title));
            Assert.That((Text(ticket, "service_id"), Text(ticket, "servicesubcategory_id")), Is.EqualTo((Id(service.ServiceId), Id(service.IncidentSubcategoryId))),
                "the category's service, and its subcategory for incidents");
            Assert.That((Text(ticket, "org_id"), Text(ticket, "caller_id")), Is.EqualTo((Id(college.OrgId), Id(college.CallerId))), "the collège's organization and caller");
            Assert.That((Text(ticket, "urgency"), Text(ticket, "origin"), Text(ticket, "status")), Is.EqualTo(("2", "portal", "new")));
            var description = ticket["description"]!.GetValue<string>();
            Assert.That(description, Does.Contain($"[{reference}]").And.Contain("Claire Dubois").And.Contain("claire.dubois@0931234x.example.fr"),
                "the hub reference and the requester's name and e-mail");
            Assert.That(description, Does.Contain("« tout essayé » : câble &amp; télécommande"), "the collège's words, encoded once");
        });
    }

    [Test]
    public async Task A_request_lands_in_UserRequest_as_a_service_request_with_the_subcategory_for_requests()
    {
        var hub = await RealHubs.ItopAsync();
        var title = Title("demande");

        var (id, _) = await hub.SubmitAsync(RealToolHub.TicketBody(title, type: "request"));
        var key = await hub.WaitForwardedAsync(id);

        var ticket = await ReadAsync("UserRequest", key, "title,request_type,org_id,service_id,servicesubcategory_id");
        var service = PeerTools.Itop.Service;
        Assert.That((ticket["title"]!.GetValue<string>(), Text(ticket, "request_type")), Is.EqualTo((title, "service_request")));
        Assert.That(Text(ticket, "org_id"), Is.EqualTo(Id(PeerTools.Itop.Org("0931234X").OrgId)));
        Assert.That((Text(ticket, "service_id"), Text(ticket, "servicesubcategory_id")), Is.EqualTo((Id(service.ServiceId), Id(service.RequestSubcategoryId))),
            "the same category's service, and its subcategory for requests");
    }

    private static string Title(string what) => $"Réel iTop {what} {Guid.NewGuid():N}";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Text(JsonObject fields, string name) => fields[name]!.ToString();

    private static async Task<JsonObject> ReadAsync(string className, string key, string fields)
    {
        using var itop = new RealItopClient();
        var found = await itop.GetAsync(className, $"SELECT {className} WHERE id = {key}", fields);
        Assert.That(found, Has.Count.EqualTo(1), $"{className}::{key} in iTop");
        return found[0];
    }
}
