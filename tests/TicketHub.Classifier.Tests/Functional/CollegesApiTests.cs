using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;
using static TicketHub.Classifier.Tests.Functional.Problems;

namespace TicketHub.Classifier.Tests.Functional;

public sealed class CollegesApiTests
{
    private const string Header = "uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear";

    private static HttpClient Client => ClassifierApp.Client;

    private static readonly HubUser MarieDupont = new("marie-dupont", "Marie Dupont", HubRoles.Admin, null, false);

    [Test]
    public async Task Lists_the_registry_seeded_from_the_sample_file()
    {
        var colleges = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges");

        var uais = colleges.EnumerateArray().Select(c => c.GetProperty("uai").GetString()).ToList();
        Assert.That(uais, Is.SupersetOf(new[] { "0931234X", "0932102D", "0934303L" }));
    }

    [Test]
    public async Task Returns_a_college_by_its_UAI()
    {
        var college = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0931234X");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(college.GetProperty("name").GetString(), Is.EqualTo("Collège Jean Moulin"));
            Assert.That(college.GetProperty("commune").GetString(), Is.EqualTo("Aubervilliers"));
            Assert.That(college.GetProperty("ut").GetString(), Is.EqualTo("UT1"));
            Assert.That(college.GetProperty("citeMixte").GetBoolean(), Is.False);
            Assert.That(college.GetProperty("zaRepriseDate").GetString(), Is.EqualTo("2024-01-08"));
            Assert.That(college.GetProperty("builtYear").GetInt32(), Is.EqualTo(1972));
        }
    }

    [Test]
    public async Task Answers_404_in_French_for_a_college_missing_from_the_registry()
    {
        var response = await Client.GetAsync("/api/v1/colleges/0939999Z");

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "Ressource introuvable");
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("Le collège « 0939999Z » ne figure pas dans le registre."));
    }

    [Test]
    public async Task Put_creates_then_updates_a_college_and_audits_who_changed_what()
    {
        using var create = new HttpRequestMessage(HttpMethod.Put, "/api/v1/colleges/0935001A")
        {
            Content = JsonContent.Create(new { name = "Collège Lucie Aubrac", commune = "Stains", ut = "UT2", citeMixte = false, zaRepriseDate = (string?)null, builtYear = 2004 }),
        };
        create.Headers.Add("X-TicketHub-User", "quelqu.un.d.autre");
        var created = await Client.SendAsync(create.As(MarieDupont));

        var update = await Client.PutAsJsonAsync("/api/v1/colleges/0935001A",
            new { name = "Collège Lucie Aubrac", commune = "Stains", ut = "UT3", citeMixte = false, zaRepriseDate = "2025-03-17", builtYear = 2004 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            Assert.That(created.Headers.Location?.ToString(), Is.EqualTo("/api/v1/colleges/0935001A"));
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK), await update.Content.ReadAsStringAsync());
        }

        var saved = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0935001A");
        var history = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0935001A/history")).EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(saved.GetProperty("ut").GetString(), Is.EqualTo("UT3"));
            Assert.That(saved.GetProperty("zaRepriseDate").GetString(), Is.EqualTo("2025-03-17"));
            Assert.That(history.Select(h => h.GetProperty("changedBy").GetString()), Is.EqualTo(new[] { "Marie Dupont (admin)", "Admin de test (admin)" }), "who changed it comes from the token, never from a header");
            Assert.That(history.Select(h => h.GetProperty("action").GetString()), Is.EqualTo(new[] { "created", "updated" }));
            Assert.That(history[1].GetProperty("changes").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "ut", "zaRepriseDate" }));
            Assert.That(history[1].GetProperty("changes").GetProperty("ut").GetProperty("from").GetString(), Is.EqualTo("UT2"));
            Assert.That(history[1].GetProperty("changes").GetProperty("ut").GetProperty("to").GetString(), Is.EqualTo("UT3"));
        }
    }

    [Test]
    public async Task Put_of_identical_values_changes_nothing_and_adds_no_audit_entry()
    {
        var body = new { name = "Collège Rosa Bonheur", commune = "Bondy", ut = "UT4", citeMixte = true, zaRepriseDate = "2024-09-02", builtYear = 1985 };
        await Client.PutAsJsonAsync("/api/v1/colleges/0935002B", body);

        var again = await Client.PutAsJsonAsync("/api/v1/colleges/0935002B", body);

        var history = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0935002B/history");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(history.GetArrayLength(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Put_rejects_invalid_fields_with_422_and_a_French_message_per_field()
    {
        var response = await Client.PutAsJsonAsync("/api/v1/colleges/0935003C",
            new { name = "", ut = "UT7", zaRepriseDate = "17/03/2025", builtYear = 1700 });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ErrorKeys(problem), Is.EquivalentTo(new[] { "name", "commune", "ut", "citeMixte", "zaRepriseDate", "builtYear" }));
            Assert.That(Errors(problem, "name"), Is.EqualTo(new[] { "Le nom du collège est obligatoire." }));
            Assert.That(Errors(problem, "ut")[0], Does.Contain("UT1, UT2, UT3 ou UT4"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("corrigez les champs signalés"));
        }

        var notSaved = await Client.GetAsync("/api/v1/colleges/0935003C");
        Assert.That(notSaved.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Put_rejects_an_invalid_UAI_with_422_on_the_uai_field()
    {
        var response = await Client.PutAsJsonAsync("/api/v1/colleges/12345",
            new { name = "Collège Jean Moulin", commune = "Aubervilliers", ut = "UT1", citeMixte = false });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        Assert.That(ErrorKeys(problem), Is.EqualTo(new[] { "uai" }));
    }

    [TestCase("{\"name\": \"Collège", "Le corps n'est pas un JSON valide (ligne 1, position 19).", TestName = "Put_answers_400_in_French_for_truncated_JSON")]
    [TestCase("{\"name\": \"Collège\", \"builtYear\": \"mille neuf cent\"}", "Le champ « builtYear » n'a pas le type attendu (ligne 1, position 52).", TestName = "Put_answers_400_in_French_for_a_wrongly_typed_field")]
    [TestCase("{\"name\": \"Collège\", \"zaRepriseDat\": \"2024-01-08\"}", "Champ inconnu : « zaRepriseDat ». Vérifiez son orthographe.", TestName = "Put_answers_400_in_French_for_an_unknown_field")]
    [TestCase("", "Le corps de la requête est vide : envoyez un objet JSON.", TestName = "Put_answers_400_in_French_for_an_empty_body")]
    public async Task Put_answers_400_in_French_for_malformed_JSON(string json, string detail)
    {
        var countBefore = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges")).GetArrayLength();

        var response = await Client.PutAsync("/api/v1/colleges/0935004D", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Requête invalide");
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(detail));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges")).GetArrayLength(), Is.EqualTo(countBefore), "nothing stored");
    }

    [Test]
    public async Task Put_answers_415_in_French_for_a_body_that_is_not_JSON()
    {
        var response = await Client.PutAsync("/api/v1/colleges/0935004D", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Type de contenu non pris en charge");
    }

    [Test]
    public async Task Import_creates_and_updates_colleges_and_keeps_quoted_commas()
    {
        await Client.PutAsJsonAsync("/api/v1/colleges/0936001A",
            new { name = "Collège Paul Éluard", commune = "Montreuil", ut = "UT3", citeMixte = false, builtYear = 1975 });
        var csv = string.Join("\n",
            Header,
            "0936001A,Collège Paul Éluard,Montreuil,UT3,false,2024-11-04,1975",
            "0936002B,\"Collège Anne Frank, annexe\",Bobigny,UT2,false,,2001",
            "0936003C,Collège Jules Vallès,Pantin,UT1,true,2023-10-02,1962",
            "");

        var response = await PostCsvAsync(csv, user: new HubUser("import-pole-tie", "import.pole-tie", HubRoles.Admin, null, IsApiKey: true));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var summary = await response.ReadJsonAsync();
        var annexe = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0936002B");
        var history = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0936001A/history");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary.GetProperty("imported").GetInt32(), Is.EqualTo(3));
            Assert.That(summary.GetProperty("created").GetInt32(), Is.EqualTo(2));
            Assert.That(summary.GetProperty("updated").GetInt32(), Is.EqualTo(1));
            Assert.That(annexe.GetProperty("name").GetString(), Is.EqualTo("Collège Anne Frank, annexe"));
            Assert.That(history.EnumerateArray().Last().GetProperty("changedBy").GetString(), Is.EqualTo("import.pole-tie (admin)"));
        }
    }

    [Test]
    public async Task Import_with_a_bad_row_imports_nothing_and_reports_errors_by_line()
    {
        var csv = string.Join("\n",
            Header,
            "0937001A,Collège Romain Rolland,Tremblay-en-France,UT4,false,,1970",
            "0937002B,Collège Henri Wallon,Ivry,UT9,false,2024-02-30,1970",
            "0937001A,Collège Romain Rolland,Tremblay-en-France,UT4,false,,1970");

        var response = await PostCsvAsync(csv);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ErrorKeys(problem), Is.EqualTo(new[] { "ligne 3", "ligne 4" }));
            Assert.That(Errors(problem, "ligne 3"), Has.Length.EqualTo(2));
            Assert.That(Errors(problem, "ligne 4"), Is.EqualTo(new[] { "uai : le collège 0937001A figure déjà ligne 2." }));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("rien n'a été importé"));
        }

        var goodRow = await Client.GetAsync("/api/v1/colleges/0937001A");
        Assert.That(goodRow.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the valid row was not imported either");
    }

    [Test]
    public async Task Import_answers_415_in_French_for_another_content_type()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/colleges/import", new { uai = "0931234X" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Type de contenu non pris en charge");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("text/csv"));
    }

    [Test]
    public async Task Import_answers_422_for_a_file_not_in_UTF8()
    {
        var latin1 = Encoding.Latin1.GetBytes(Header + "\n0938001A,Collège Éluard,Épinay-sur-Seine,UT1,false,,1970\n");
        using var content = new ByteArrayContent(latin1);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        var response = await Client.PostAsync("/api/v1/colleges/import", content);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        Assert.That(Errors(problem, "fichier")[0], Does.Contain("UTF-8"));
    }

    [TestCase("Coll\u00e8ge\u0000Moulin", TestName = "Put_rejects_a_NUL_character_in_the_name_with_422")]
    [TestCase("\u001b[31mColl\u00e8ge", TestName = "Put_rejects_an_escape_sequence_in_the_name_with_422")]
    public async Task Put_rejects_control_characters_in_the_name_with_422(string name)
    {
        var response = await Client.PutAsJsonAsync("/api/v1/colleges/0938101A", new { name, commune = "Stains", ut = "UT2", citeMixte = false });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        Assert.That(Errors(problem, "name")[0], Does.Contain("caractères de contrôle"));
        Assert.That((await Client.GetAsync("/api/v1/colleges/0938101A")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("<script>alert('x')</script>")]
    [TestCase("' OR 1=1 --")]
    [TestCase("\u202Egnp.exe \u05E9\u05DC\u05D5\u05DD 😀")]
    [TestCase("Collège \"Les Tilleuls\"\nbâtiment B")]
    public async Task Put_keeps_markup_injections_right_to_left_text_and_line_breaks_exactly_as_sent(string name)
    {
        var response = await Client.PutAsJsonAsync("/api/v1/colleges/0938102B", new { name, commune = "Stains", ut = "UT2", citeMixte = false });
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());

        var college = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0938102B");
        Assert.That(college.GetProperty("name").GetString(), Is.EqualTo(name));
    }

    [TestCase("%D9%A0%D9%A9%D9%A3%D9%A1%D9%A2%D9%A3%D9%A4X", TestName = "Put_rejects_a_UAI_in_Arabic_Indic_digits")]
    [TestCase("%EF%BC%90%EF%BC%99%EF%BC%93%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94X", TestName = "Put_rejects_a_UAI_in_full_width_digits")]
    public async Task Put_rejects_a_UAI_whose_digits_are_not_ASCII(string uai)
    {
        var response = await Client.PutAsJsonAsync($"/api/v1/colleges/{uai}", new { name = "Collège", commune = "Stains", ut = "UT2", citeMixte = false });

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "Données invalides");
        Assert.That(ErrorKeys(problem), Is.EqualTo(new[] { "uai" }));
    }

    [TestCase("application/json; charset=x-inconnu")]
    [TestCase("application/json; charset=\"unknown\"")]
    public async Task Put_answers_415_for_a_charset_it_cannot_decode_instead_of_500(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name": "Collège", "commune": "Stains", "ut": "UT2", "citeMixte": false}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.PutAsync("/api/v1/colleges/0938103C", content);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Type de contenu non pris en charge");
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("Le jeu de caractères"));
    }

    [Test]
    public async Task Put_accepts_a_quoted_utf8_charset()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name": "Collège Évariste-Galois", "commune": "Stains", "ut": "UT2", "citeMixte": false}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=\"utf-8\"");

        var response = await Client.PutAsync("/api/v1/colleges/0938104D", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var college = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0938104D");
        Assert.That(college.GetProperty("name").GetString(), Is.EqualTo("Collège Évariste-Galois"));
    }

    [Test]
    public async Task History_keeps_100_characters_of_the_author_without_cutting_an_emoji_in_two()
    {
        var author = "a" + string.Concat(Enumerable.Repeat("😀", 60));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/colleges/0938105E")
        {
            Content = JsonContent.Create(new { name = "Collège", commune = "Stains", ut = "UT2", citeMixte = false }),
        };
        await Client.SendAsync(request.As(new HubUser("long", author, HubRoles.Admin, null, false)));

        var history = await Client.GetFromJsonAsync<JsonElement>("/api/v1/colleges/0938105E/history");

        Assert.That(history[0].GetProperty("changedBy").GetString(), Is.EqualTo(author[..99]));
    }

    [Test]
    public async Task Answers_404_in_French_for_an_unknown_route()
    {
        var response = await Client.GetAsync("/api/v1/nowhere");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "Ressource introuvable");
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(string csv, HubUser? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/colleges/import")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        return await Client.SendAsync(user is null ? request : request.As(user));
    }
}
