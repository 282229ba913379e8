using TicketHub.Contracts;
using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Tests;

/// <summary>How a collège reads the name of the tool its ticket went to.</summary>
public sealed class ToolNamesTests
{
    [TestCase(ExternalTools.Glpi, "à l'infogérant du Département (GLPI)")]
    [TestCase(ExternalTools.Itop, "à l'infogérant du Département (iTop)")]
    [TestCase(ExternalTools.Pass, "au Rectorat (PASS)")]
    [TestCase(ExternalTools.Omere, "au service des bâtiments (Omère)")]
    public void To_contracts_the_article_as_French_does(string tool, string expected) =>
        Assert.That(ToolNames.To(tool), Is.EqualTo(expected));
}
