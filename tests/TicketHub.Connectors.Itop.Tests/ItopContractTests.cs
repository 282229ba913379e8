using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The same scenarios against the sandbox's iTop and the real iTop 3.2 (ITIL modules), through the
/// connector's own client: what the emulator answers must be what iTop answers, so that the tests
/// that use the emulator keep their promises against the tool. Nothing here is skipped: the real
/// iTop runs whenever the tests do (deploy/peers.sh, <see cref="PeerTools.Itop"/>).
/// </summary>
[TestFixtureSource(nameof(Targets))]
[NonParallelizable]
public sealed class ItopContractTests(string targetName)
{
    private ItopTarget _target = null!;
    private ItopClientHost _host = null!;

    public static IEnumerable<string> Targets => [ItopTarget.Sandbox, ItopTarget.Real, ItopTarget.RealAsAgent];

    private ItopClient Client => _host.Client;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _target = await ItopTarget.StartAsync(targetName);
        var college = _target.College;
        var settings = _target.ConnectorSettings();
        settings["Itop:TicketClasses"] = "auto";
        settings["Itop:Mapping:DefaultOrgId"] = college.OrgId.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:CallerId"] = college.CallerId.ToString(CultureInfo.InvariantCulture);
        settings[$"Itop:Mapping:Orgs:{college.Code}"] = college.OrgId.ToString(CultureInfo.InvariantCulture);
        settings[$"Itop:Mapping:Callers:{college.Code}"] = college.CallerId.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:Services:reseau"] = _target.Services.Service.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:ServiceSubcategories:reseau"] = _target.Services.IncidentSubcategory.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:Services:cablage"] = _target.Services.Service.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:ServiceSubcategories:cablage"] = _target.Services.RequestSubcategory.ToString(CultureInfo.InvariantCulture);
        // One category that is sometimes a breakdown, sometimes a request: a subcategory for each.
        settings["Itop:Mapping:Services:vpi"] = _target.Services.Service.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:IncidentSubcategories:vpi"] = _target.Services.IncidentSubcategory.ToString(CultureInfo.InvariantCulture);
        settings["Itop:Mapping:RequestSubcategories:vpi"] = _target.Services.RequestSubcategory.ToString(CultureInfo.InvariantCulture);
        _host = new ItopClientHost(settings["Itop:BaseUrl"]!, settings, _target.Serve);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _host.Dispose();
        await _target.DisposeAsync();
    }

    [Test]
    public async Task Detects_the_ITIL_modules_and_creates_an_incident_in_the_class_Incident_with_every_mapped_field()
    {
        var routed = Routed(type: "incident", category: "reseau");

        var (ticket, created) = await CreateAsync(routed);

        Assert.That(ticket.Class, Is.EqualTo("Incident"));
        Assert.That(created.Fields.Ref, Does.StartWith("I-"));
        var read = await ReadAsync(ticket, "org_id,caller_id,title,description,urgency,origin,service_id,servicesubcategory_id,status,finalclass");
        AssertMappedFields(read, routed, _target.Services.IncidentSubcategory);
    }

    [Test]
    public async Task Creates_a_request_in_UserRequest_as_a_service_request_with_every_mapped_field()
    {
        var routed = Routed(type: "request", category: "cablage");

        var (ticket, created) = await CreateAsync(routed);

        Assert.That(ticket.Class, Is.EqualTo("UserRequest"));
        Assert.That(created.Fields.Ref, Does.StartWith("R-"));
        var read = await ReadAsync(ticket, "org_id,caller_id,title,description,urgency,origin,service_id,servicesubcategory_id,status,finalclass,request_type");
        Assert.That(read.Fields.RequestType, Is.EqualTo("service_request"));
        AssertMappedFields(read, routed, _target.Services.RequestSubcategory);
    }

    [TestCase("incident", "Incident", TestName = "Gives_a_breakdown_of_a_category_that_can_be_either_the_subcategory_iTop_offers_incidents")]
    [TestCase("request", "UserRequest", TestName = "Gives_a_request_of_a_category_that_can_be_either_the_subcategory_iTop_offers_requests")]
    public async Task Gives_each_kind_of_ticket_of_one_category_the_subcategory_of_its_own_request_type(string type, string className)
    {
        var routed = Routed(type: type, category: "vpi");

        var (ticket, _) = await CreateAsync(routed);

        Assert.That(ticket.Class, Is.EqualTo(className));
        var read = await ReadAsync(ticket, "org_id,caller_id,title,description,urgency,origin,service_id,servicesubcategory_id,status,finalclass");
        AssertMappedFields(read, routed, type == "incident" ? _target.Services.IncidentSubcategory : _target.Services.RequestSubcategory);
    }

    [Test]
    public async Task Refuses_an_incident_in_UserRequest_with_code_100_and_iTop_own_words()
    {
        var draft = await _host.Get<ItopTicketMapper>().MapAsync(Routed(type: "request", category: "reseau"), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ItopException>(() =>
            Client.CreateTicketAsync("UserRequest", draft.Fields with { RequestType = "incident" }, "TicketHub contrat", CancellationToken.None));

        Assert.That(refused!.Error.Code, Is.EqualTo(ItopError.InternalError));
        Assert.That(refused.Error.Message, Does.StartWith("Error: Valeur de l'attribut incorrecte 'Type de Requête' (request_type) : Value not allowed [incident]"));
    }

    [Test]
    public async Task Finds_a_ticket_again_by_its_reference_whatever_its_class_and_nothing_for_an_unknown_one()
    {
        var incident = Routed(type: "incident", category: "reseau");
        var request = Routed(type: "request", category: "cablage");
        var (createdIncident, _) = await CreateAsync(incident);
        var (createdRequest, _) = await CreateAsync(request);

        var since = _host.Get<ItopDates>().ToItop(DateTimeOffset.UtcNow.AddHours(-1));
        var later = _host.Get<ItopDates>().ToItop(DateTimeOffset.UtcNow.AddHours(1));

        var foundIncident = await FindAsync(incident.Reference, since);
        var foundRequest = await FindAsync(request.Reference, since);
        var none = await FindAsync(UniqueReference(), since);
        var tooOld = await FindAsync(incident.Reference, later);

        Assert.That(foundIncident.Select(found => new ItopTicketRef(found.Class!, found.Key)), Is.EqualTo(new[] { createdIncident }));
        Assert.That(foundRequest.Select(found => new ItopTicketRef(found.Class!, found.Key)), Is.EqualTo(new[] { createdRequest }));
        Assert.That(foundIncident[0].Fields.FinalClass, Is.EqualTo("Incident"));
        Assert.That(ItopTicketContent.IsDescriptionOf(foundIncident[0].Fields.Description, incident.TicketId, incident.Reference), Is.True, "its id survives iTop's HTML filter");
        Assert.That(ItopTicketContent.IsDescriptionOf(foundIncident[0].Fields.Description, Guid.NewGuid(), incident.Reference), Is.False, "another hub's ticket of the same reference");
        Assert.That(none, Is.Empty, "objects: null");
        Assert.That(tooOld, Is.Empty, "a ticket started before the date is not searched");
    }

    [Test]
    public async Task Adds_the_college_comment_to_the_public_log_as_HTML_that_reads_back_as_written()
    {
        var (ticket, _) = await CreateAsync(Routed(type: "incident", category: "reseau"));
        const string comment = "Message du collège (Claire Martin), via TicketHub :\nLa prise <RJ45> & le switch : « rien ».\n\nMerci d'avance !";

        var updated = await Client.AddPublicLogEntryAsync(ticket, comment, "TicketHub contrat", CancellationToken.None);

        var entry = updated.Fields.PublicLog!.Entries.Single();
        Assert.That(RequestChangeReader.TextOf(entry), Is.EqualTo(comment));
        Assert.That(entry.MessageHtml, Does.Contain("&lt;RJ45&gt; &amp; le switch"));
        Assert.That(entry.UserId, Is.Not.Null.And.Not.Empty, "the REST account's id: how the sync knows the hub's own entries");
    }

    [Test]
    public async Task Attaches_a_file_to_an_incident_and_finds_it_again_with_its_content()
    {
        var (ticket, _) = await CreateAsync(Routed(type: "incident", category: "reseau"));
        var content = Encoding.UTF8.GetBytes($"Relevé de la baie réseau, {Guid.NewGuid()}");

        var attachment = await Client.CreateAttachmentAsync(new ItopAttachmentInput
        {
            ItemClass = ticket.Class,
            ItemId = ticket.Key,
            ItemOrgId = _target.College.OrgId,
            CreationDate = "2026-12-06 10:00:00",
            Contents = new ItopBlob(Convert.ToBase64String(content), "releve-baie.txt", "text/plain"),
        }, "TicketHub contrat", CancellationToken.None);
        var found = await Client.GetAttachmentsAsync(Oql.AttachmentsOf(ticket), CancellationToken.None);

        Assert.That(found.Select(item => item.Key), Is.EqualTo(new[] { attachment.Key }));
        Assert.That((found[0].Fields.ItemClass, found[0].Fields.ItemId), Is.EqualTo(("Incident", ticket.Key)));
        Assert.That(found[0].Fields.Contents!.FileName, Is.EqualTo("releve-baie.txt"));
        Assert.That(SHA256.HashData(Convert.FromBase64String(found[0].Fields.Contents!.Data)), Is.EqualTo(SHA256.HashData(content)));
    }

    [Test]
    public async Task Brings_back_the_technician_reply_and_solution_as_plain_text_the_college_can_read()
    {
        var (ticket, _) = await CreateAsync(Routed(type: "incident", category: "reseau"));
        var (team, agent) = _target.Support;

        await TechnicianAsync(ticket, "core/apply_stimulus", new JsonObject { ["team_id"] = team, ["agent_id"] = agent }, "ev_assign");
        await TechnicianAsync(ticket, "core/update", new JsonObject
        {
            ["public_log"] = new JsonObject { ["add_item"] = new JsonObject { ["message"] = "Je passe jeudi.\nPrévoir l'accès à la baie <B12>.", ["format"] = "text" } },
        });
        await TechnicianAsync(ticket, "core/apply_stimulus", new JsonObject
        {
            ["solution"] = "<p>Prise réparée :</p><ul><li>câble remplacé</li><li>port 12 testé</li></ul><p>Bonne journée &amp; à bientôt.</p>",
        }, "ev_resolve");
        var seen = (await Client.GetTicketsAsync(ticket.Class, Oql.AmongChangedSince(ticket.Class, [ticket.Key], null), ItopClient.SyncFields, CancellationToken.None)).Single();

        Assert.That(seen.Fields.Status, Is.EqualTo("resolved"));
        Assert.That(seen.Fields.Solution, Does.StartWith("<p>"), "iTop 3 keeps the solution as HTML");
        Assert.That(ToolHtml.ToPlainText(seen.Fields.Solution), Is.EqualTo("Prise réparée :\n\n- câble remplacé\n- port 12 testé\n\nBonne journée & à bientôt."));
        Assert.That(seen.Fields.PublicLog!.Entries.Select(RequestChangeReader.TextOf), Is.EqualTo(new[] { "Je passe jeudi.\nPrévoir l'accès à la baie <B12>." }));
    }

    private Task<IReadOnlyList<ItopObject>> FindAsync(string reference, string since) =>
        Client.GetTicketsAsync(ItopClasses.Ticket, Oql.DescriptionContainsSince(ItopTicketContent.Marker(reference), since), ItopClient.LookupFields, CancellationToken.None);

    private static string UniqueReference() => $"TH-CT-{RandomNumberGenerator.GetHexString(8)}";

    private TicketRouted Routed(string type, string category) =>
        TestTickets.Routed(reference: UniqueReference(), uai: _target.College.Code, category: category, type: type);

    private async Task<(ItopTicketRef Ticket, ItopObject Created)> CreateAsync(TicketRouted routed)
    {
        var draft = await _host.Get<ItopTicketMapper>().MapAsync(routed, CancellationToken.None);
        var created = await Client.CreateTicketAsync(draft.Class, draft.Fields, $"TicketHub {routed.Reference}", CancellationToken.None);
        return (new ItopTicketRef(draft.Class, created.Key), created);
    }

    private async Task<ItopObject> ReadAsync(ItopTicketRef ticket, string fields) =>
        (await Client.GetTicketsAsync(ticket.Class, $"SELECT {ticket.Class} WHERE id = {ticket.Key}", fields, CancellationToken.None)).Single();

    private void AssertMappedFields(ItopObject read, TicketRouted routed, int subcategory)
    {
        var fields = read.Fields;
        Assert.Multiple(() =>
        {
            Assert.That((fields.OrgId, fields.CallerId), Is.EqualTo(((int?)_target.College.OrgId, (int?)_target.College.CallerId)), "the collège's organization and caller");
            Assert.That(fields.Title, Is.EqualTo(routed.Ticket.Title));
            Assert.That((fields.Urgency, fields.Origin, fields.Status), Is.EqualTo(("2", "portal", "new")));
            Assert.That((fields.ServiceId, fields.ServiceSubcategoryId), Is.EqualTo(((int?)_target.Services.Service, (int?)subcategory)));
            Assert.That(fields.Description, Does.Contain(ItopTicketContent.Marker(routed.Reference)), "what a lookup by reference searches");
            var text = ToolHtml.ToPlainText(fields.Description);
            Assert.That(text, Does.Contain("Nom : Claire Martin").And.Contain("Courriel : claire.martin@ac-creteil.fr"), "the requester, written in the ticket");
            Assert.That(text, Does.Contain("L'imprimante affiche « erreur 50 » <b>.\nElle ne sort plus rien depuis lundi."), "the collège's words as written");
        });
    }

    private async Task TechnicianAsync(ItopTicketRef ticket, string operation, JsonObject fields, string? stimulus = null)
    {
        var data = new JsonObject
        {
            ["operation"] = operation, ["class"] = ticket.Class, ["key"] = ticket.Key, ["comment"] = "technicien", ["output_fields"] = "id", ["fields"] = fields,
        };
        if (stimulus is not null)
        {
            data["stimulus"] = stimulus;
        }

        ItopTarget.KeyOf(await _target.AsTechnicianAsync(data));
    }
}
