using System.Net.Http.Json;
using System.Text.Json;
using TicketHub.Classifier.Routing;

namespace TicketHub.Classifier.Tests.Functional;

public sealed class CategoriesApiTests
{
    [Test]
    public async Task Serves_the_categories_of_the_rule_set_file_in_its_order()
    {
        var served = await ClassifierApp.Client.GetFromJsonAsync<List<Category>>("/api/v1/categories");

        Assert.That(served, Is.EqualTo(RuleSetLoader.Load(RepoFiles.SeineSaintDenis).Categories));
    }

    [Test]
    public async Task Serves_the_labels_of_the_file_named_by_Routing_RuleSet()
    {
        var folder = Directory.CreateTempSubdirectory("ruleset-").FullName;
        var file = Path.Combine(folder, "exemple.json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(RepoFiles.SansReprise))
            .Replace("Vidéoprojecteur interactif (VPI/ENI)", "Tableau numérique interactif", StringComparison.Ordinal));
        try
        {
            await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?> { ["Routing:RuleSet"] = file });
            using var client = factory.ClientFor(TestIdentity.College("0931234X"));

            var served = await client.GetFromJsonAsync<List<Category>>("/api/v1/categories");

            Assert.That(served!.Single(c => c.Code == "vpi").Label, Is.EqualTo("Tableau numérique interactif"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Lists_categories_with_French_labels_and_zone_hints()
    {
        var categories = (await ClassifierApp.Client.GetFromJsonAsync<JsonElement>("/api/v1/categories"))
            .EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!);

        string? Hint(string code) => categories[code].GetProperty("zoneHint").GetString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(categories.Keys, Is.SupersetOf(new[]
            {
                "poste-pedagogique", "poste-administratif", "vpi", "reseau", "wifi", "imprimante", "serveur",
                "logiciel-pedagogique", "application-metier-en", "ent", "batiment",
            }));
            Assert.That(categories["vpi"].GetProperty("label").GetString(), Is.EqualTo("Vidéoprojecteur interactif (VPI/ENI)"));
            Assert.That(categories["poste-pedagogique"].GetProperty("label").GetString(), Is.EqualTo("Ordinateur de salle de classe"));
            Assert.That(Hint("poste-pedagogique"), Is.EqualTo("ZP"));
            Assert.That(Hint("poste-administratif"), Is.EqualTo("ZA"));
            Assert.That(Hint("vpi"), Is.EqualTo("ZP"));
            Assert.That(Hint("wifi"), Is.EqualTo("ZP"));
            Assert.That(Hint("logiciel-pedagogique"), Is.EqualTo("ZP"));
            Assert.That(Hint("application-metier-en"), Is.EqualTo("ZA"));
            Assert.That(categories["reseau"].GetProperty("zoneHint").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(Hint("imprimante"), Is.Null);
            Assert.That(Hint("serveur"), Is.Null);
            Assert.That(Hint("ent"), Is.Null);
            Assert.That(Hint("batiment"), Is.Null);
        }
    }
}
