using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// The emulators keep files as the tools do: GLPI's documents (uploaded as apirest.md shows, linked on
/// upload) and iTop's Attachments (core/create, core/get over OQL), shown on the technician's pages.
/// </summary>
public sealed class DocumentsEmulatorTests
{
    private const string ItopRest = "/itop/webservices/rest.php?version=1.3";
    private const string ItopUser = "rest-test";
    private const string ItopPassword = "rest-test-password";

    private static readonly byte[] Photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

    private SandboxApp _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new SandboxApp(new()
    {
        ["Sandbox:Glpi:DocumentMaxSize"] = "100",
        ["Sandbox:Glpi:RefusedExtensions:0"] = "exe",
        ["Sandbox:Itop:AuthUser"] = ItopUser,
        ["Sandbox:Itop:AuthPassword"] = ItopPassword,
        ["Sandbox:Itop:AttachmentMaxSize"] = "100",
    });

    [TearDown]
    public async Task TearDown() => await _sandbox.DisposeAsync();

    [Test]
    public async Task GLPI_stores_an_uploaded_document_links_it_to_the_ticket_and_shows_it_escaped_on_the_ticket_page()
    {
        using var glpi = await _sandbox.LogInAsync();
        var ticketId = await CreateGlpiTicketAsync(glpi);
        var name = "TH-1 — <b>photo</b>.jpg [att:1]";

        using var upload = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document", UriKind.Relative), Upload(name, "<b>photo</b>.jpg", "image/jpeg", Photo, ticketId));

        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var created = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(created.GetProperty("id").GetInt32(), Is.EqualTo(1));
        Assert.That(created.GetProperty("message").GetString(), Is.EqualTo("Document move succeeded."));
        Assert.That(upload.Headers.Location?.ToString(), Does.EndWith($"{SandboxApp.Api}/Document/1"));

        var links = await glpi.GetFromJsonAsync<JsonElement[]>(new Uri($"{SandboxApp.Api}/Ticket/{ticketId}/Document_Item", UriKind.Relative));
        Assert.That(links!.Select(link => (link.GetProperty("documents_id").GetInt32(), link.GetProperty("itemtype").GetString(), link.GetProperty("items_id").GetInt32())),
            Is.EqualTo(new[] { (1, "Ticket", ticketId) }));
        var byName = await glpi.GetFromJsonAsync<JsonElement[]>(new Uri($"{SandboxApp.Api}/Document?searchText[name]=att:1&range=0-49", UriKind.Relative));
        Assert.That(byName, Is.Empty, "GLPI 10 renamed it: the name the client gave is lost");
        var found = new[] { await glpi.GetFromJsonAsync<JsonElement>(new Uri($"{SandboxApp.Api}/Document/1", UriKind.Relative)) };
        Assert.That(found.Select(document => (document.GetProperty("name").GetString(), document.GetProperty("filename").GetString(), document.GetProperty("mime").GetString())),
            Is.EqualTo(new[] { ("Document : Ticket - Imprimante en panne", "<b>photo</b>.jpg", "image/jpeg") }));
        Assert.That(found![0].GetProperty("sha1sum").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA1.HashData(Photo))));

        using var browser = _sandbox.CreateClient();
        var page = await browser.GetStringAsync(new Uri($"/glpi/tickets/{ticketId}", UriKind.Relative));
        Assert.That(page, Does.Contain("<h2>Documents</h2>"));
        Assert.That(page, Does.Contain("<td>Document : Ticket - Imprimante en panne</td><td>&lt;b&gt;photo&lt;/b&gt;.jpg</td><td>12 octets</td><td>image/jpeg</td>"));
        Assert.That(page, Does.Not.Contain("<b>photo</b>"));
        var tickets = await browser.GetFromJsonAsync<JsonElement[]>(new Uri("/glpi/_sandbox/tickets", UriKind.Relative));
        var document = tickets!.Single().GetProperty("documents").EnumerateArray().Single();
        Assert.That((document.GetProperty("filesize").GetInt64(), document.GetProperty("sha256").GetString()), Is.EqualTo((12L, Convert.ToHexStringLower(SHA256.HashData(Photo)))));
    }

    [TestCase("gros.jpg", 101, "File too large to be added.")]
    [TestCase("outil.exe", 10, "Fichier outil.exe : type de fichier non autorisé.")]
    public async Task GLPI_refuses_a_document_over_its_size_or_of_a_type_it_does_not_allow(string fileName, int size, string message)
    {
        using var glpi = await _sandbox.LogInAsync();
        var ticketId = await CreateGlpiTicketAsync(glpi);

        using var upload = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document", UriKind.Relative), Upload(fileName, fileName, "application/octet-stream", new byte[size], ticketId));

        Assert.That(await upload.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD"), Is.EqualTo(message));
        var links = await glpi.GetFromJsonAsync<JsonElement[]>(new Uri($"{SandboxApp.Api}/Ticket/{ticketId}/Document_Item", UriKind.Relative));
        Assert.That(links, Is.Empty);
    }

    [Test]
    public async Task GLPI_refuses_a_document_meant_for_a_ticket_that_comes_without_its_file()
    {
        using var glpi = await _sandbox.LogInAsync();
        var ticketId = await CreateGlpiTicketAsync(glpi);
        using var form = new MultipartFormDataContent { { new StringContent(new JsonObject { ["input"] = new JsonObject { ["name"] = "vide", ["itemtype"] = "Ticket", ["items_id"] = ticketId } }.ToJsonString()), "uploadManifest" } };

        using var upload = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document", UriKind.Relative), form);

        await upload.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD");
    }

    [Test]
    public async Task GLPI_links_an_existing_document_once()
    {
        using var glpi = await _sandbox.LogInAsync();
        var ticketId = await CreateGlpiTicketAsync(glpi);
        using var upload = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document", UriKind.Relative), Upload("seul", "seul.txt", "text/plain", Photo, ticketId: null));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var link = JsonContent.Create(new { input = new { documents_id = 1, itemtype = "Ticket", items_id = ticketId } });

        using var first = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document_Item", UriKind.Relative), link);
        using var second = await glpi.PostAsync(new Uri($"{SandboxApp.Api}/Document_Item", UriKind.Relative), JsonContent.Create(new { input = new { documents_id = 1, itemtype = "Ticket", items_id = ticketId } }));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await second.AssertGlpiErrorAsync(400, "ERROR_GLPI_ADD");
        var links = await glpi.GetFromJsonAsync<JsonElement[]>(new Uri($"{SandboxApp.Api}/Document/1/Document_Item", UriKind.Relative));
        Assert.That(links, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ITop_creates_an_Attachment_of_a_request_reads_it_back_by_OQL_and_shows_it_escaped()
    {
        using var client = _sandbox.CreateClient();
        var created = await ItopAsync(client, new JsonObject
        {
            ["operation"] = "core/create",
            ["comment"] = "essai",
            ["class"] = "UserRequest",
            ["output_fields"] = "id",
            ["fields"] = new JsonObject { ["org_id"] = 12, ["caller_id"] = 34, ["title"] = "Imprimante", ["description"] = "<p>[TH-1]</p>" },
        });
        Assert.That(created.GetProperty("code").GetInt32(), Is.Zero, created.ToString());

        var attachment = await ItopAsync(client, AttachmentCreate(1, "<i>photo</i>.jpg", Photo));
        var found = await ItopAsync(client, new JsonObject
        {
            ["operation"] = "core/get",
            ["class"] = "Attachment",
            ["key"] = "SELECT Attachment WHERE item_class = 'UserRequest' AND item_id = 1",
            ["output_fields"] = "item_class,item_id,contents",
        });

        Assert.That(attachment.GetProperty("code").GetInt32(), Is.Zero, attachment.ToString());
        var result = attachment.GetProperty("objects").GetProperty("Attachment::1");
        Assert.That((result.GetProperty("class").GetString(), result.GetProperty("key").GetInt32()), Is.EqualTo(("Attachment", 1)));
        var fields = found.GetProperty("objects").GetProperty("Attachment::1").GetProperty("fields");
        Assert.That((fields.GetProperty("item_class").GetString(), fields.GetProperty("item_id").GetString()), Is.EqualTo(("UserRequest", "1")));
        var contents = fields.GetProperty("contents");
        Assert.That(Convert.FromBase64String(contents.GetProperty("data").GetString()!), Is.EqualTo(Photo));
        Assert.That((contents.GetProperty("filename").GetString(), contents.GetProperty("mimetype").GetString()), Is.EqualTo(("<i>photo</i>.jpg", "image/jpeg")));

        var page = await client.GetStringAsync(new Uri("/itop/tickets/1", UriKind.Relative));
        Assert.That(page, Does.Contain("<h2>Pièces jointes</h2>"));
        Assert.That(page, Does.Contain("<td>&lt;i&gt;photo&lt;/i&gt;.jpg</td><td>12 octets</td><td>image/jpeg</td><td>2026-11-20 10:00:00</td>"));
        var listed = (await client.GetFromJsonAsync<JsonElement[]>(new Uri("/itop/_sandbox/attachments", UriKind.Relative)))!.Single();
        Assert.That((listed.GetProperty("item_org_id").GetString(), listed.GetProperty("size").GetInt64(), listed.GetProperty("sha256").GetString()),
            Is.EqualTo(("12", 12L, Convert.ToHexStringLower(SHA256.HashData(Photo)))));
    }

    [TestCase(7, 10, "Error: item_id: no UserRequest with the key '7'")]
    [TestCase(1, 101, "Error: contents: the file is larger than the 100 bytes allowed")]
    public async Task ITop_refuses_an_Attachment_of_an_unknown_request_or_over_its_size_with_code_100(int requestId, int size, string message)
    {
        using var client = _sandbox.CreateClient();
        await ItopAsync(client, new JsonObject
        {
            ["operation"] = "core/create",
            ["comment"] = "essai",
            ["class"] = "UserRequest",
            ["fields"] = new JsonObject { ["org_id"] = 12, ["caller_id"] = 34, ["title"] = "Imprimante", ["description"] = "x" },
        });

        var refused = await ItopAsync(client, AttachmentCreate(requestId, "photo.jpg", new byte[size]));

        Assert.That((refused.GetProperty("code").GetInt32(), refused.GetProperty("message").GetString()), Is.EqualTo((100, message)));
        Assert.That(await client.GetFromJsonAsync<JsonElement[]>(new Uri("/itop/_sandbox/attachments", UriKind.Relative)), Is.Empty);
    }

    private static async Task<int> CreateGlpiTicketAsync(HttpClient glpi)
    {
        using var response = await glpi.PostAsJsonAsync(new Uri($"{SandboxApp.Api}/Ticket", UriKind.Relative),
            new { input = new { name = "Imprimante en panne", content = "<p>Erreur 50</p>", entities_id = 12, externalid = "TH-1" } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    /// <summary>The upload of apirest.md's curl example: <c>uploadManifest</c> (JSON) and <c>filename[0]</c>.</summary>
    private static MultipartFormDataContent Upload(string name, string fileName, string type, byte[] content, int? ticketId)
    {
        var input = new JsonObject { ["name"] = name, ["_filename"] = new JsonArray(fileName) };
        if (ticketId is { } id)
        {
            input["itemtype"] = "Ticket";
            input["items_id"] = id;
        }

        var manifest = new StringContent(new JsonObject { ["input"] = input }.ToJsonString(), Encoding.UTF8, "application/json");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { manifest, "uploadManifest" }, { file, "filename[0]", fileName } };
    }

    private static JsonObject AttachmentCreate(int requestId, string fileName, byte[] content) => new()
    {
        ["operation"] = "core/create",
        ["comment"] = "TicketHub TH-1",
        ["class"] = "Attachment",
        ["output_fields"] = "id",
        ["fields"] = new JsonObject
        {
            ["item_class"] = "UserRequest",
            ["item_id"] = requestId,
            ["item_org_id"] = 12,
            ["creation_date"] = "2026-11-20 10:00:00",
            ["contents"] = new JsonObject { ["data"] = Convert.ToBase64String(content), ["filename"] = fileName, ["mimetype"] = "image/jpeg" },
        },
    };

    private static async Task<JsonElement> ItopAsync(HttpClient client, JsonObject data)
    {
        using var response = await client.PostAsync(new Uri(ItopRest, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["auth_user"] = ItopUser,
            ["auth_pwd"] = ItopPassword,
            ["json_data"] = data.ToJsonString(),
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
