using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary><c>POST /api/v1/suggestions</c>: what the form shows before a request is sent (issue 16).</summary>
public sealed class SuggestionsApiTests
{
    [Test]
    public async Task Suggests_the_zone_and_category_a_description_points_to_and_whether_they_are_sure_enough_to_show()
    {
        using var response = await ClassifierApp.Client.PostAsJsonAsync("/api/v1/suggestions", new
        {
            title = "Copieur du secrétariat bloqué",
            description = "Le photocopieur du secrétariat affiche un bourrage papier en permanence, impossible d'imprimer les certificats de scolarité.",
            category = "autre",
        });
        var suggestion = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), suggestion.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(suggestion.GetProperty("zone").GetString(), Is.EqualTo("ZA"));
            Assert.That(suggestion.GetProperty("zoneConfident").GetBoolean(), Is.True);
            Assert.That(suggestion.GetProperty("category").GetString(), Is.EqualTo("imprimante"));
            Assert.That(suggestion.GetProperty("categoryLabel").GetString(), Is.EqualTo("Imprimante ou copieur"));
            Assert.That(suggestion.GetProperty("threshold").GetDouble(), Is.EqualTo(0.7));
        }
    }

    [Test]
    public async Task A_category_already_chosen_is_not_suggested_again()
    {
        using var response = await ClassifierApp.Client.PostAsJsonAsync("/api/v1/suggestions", new
        {
            title = "Copieur du secrétariat bloqué",
            description = "Le photocopieur du secrétariat affiche un bourrage papier en permanence.",
            category = "imprimante",
        });
        var suggestion = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(suggestion.GetProperty("categoryConfident").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_title_longer_than_the_form_allows_is_refused_in_French()
    {
        using var response = await ClassifierApp.Client.PostAsJsonAsync("/api/v1/suggestions", new { title = new string('a', 201), description = "x" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem.GetProperty("errors").GetProperty("title")[0].GetString(), Is.EqualTo("Le titre compte 201 caractères : 200 au plus."));
    }
}
