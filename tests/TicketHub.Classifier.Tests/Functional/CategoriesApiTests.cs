using System.Net.Http.Json;
using System.Text.Json;

namespace TicketHub.Classifier.Tests.Functional;

public sealed class CategoriesApiTests
{
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
