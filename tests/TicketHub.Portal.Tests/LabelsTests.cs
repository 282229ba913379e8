using TicketHub.Portal.Display;

namespace TicketHub.Portal.Tests;

public sealed class LabelsTests
{
    [TestCase("Le service des bâtiments (Omère)", "du service des bâtiments (Omère)")]
    [TestCase("Le Rectorat (PASS)", "du Rectorat (PASS)")]
    [TestCase("La Région", "de la Région")]
    [TestCase("L'infogérant du Département (GLPI)", "de l'infogérant du Département (GLPI)")]
    [TestCase("Le Pôle TIE, qui l'orientera", "du Pôle TIE, qui l'orientera")]
    [TestCase("Le Goff", "de Le Goff")]
    [TestCase("Élodie Martin", "d'Élodie Martin")]
    [TestCase("Omère", "d'Omère")]
    [TestCase("Karim Benali", "de Karim Benali")]
    [TestCase("Léa", "de Léa")]
    public void A_name_after_de_is_contracted_or_elided_as_French_wants_it(string name, string expected) =>
        Assert.That(Labels.Of(name), Is.EqualTo(expected));
}
