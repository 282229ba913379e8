using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Routing;

public class CategoryCatalogTests
{
    [Test]
    public void Catalogue_describes_exactly_the_category_codes_intake_accepts() =>
        Assert.That(CategoryCatalog.All.Select(c => c.Code), Is.EquivalentTo(CategoryCodes.All));

    [Test]
    public void Every_category_has_a_French_label() =>
        Assert.That(CategoryCatalog.All.Select(c => c.Label), Has.All.Not.Empty);
}
