namespace TicketHub.Classifier.Registry;

/// <summary>A collège as the registry knows it.</summary>
/// <param name="Uai">Identifier: 7 digits and a letter (<c>0931234X</c>).</param>
/// <param name="Ut">Building-maintenance sector of the Département, <c>UT1</c>..<c>UT4</c>.</param>
/// <param name="CiteMixte">Collège and lycée share the site: the Région maintains its ZP.</param>
/// <param name="ZaRepriseDate">Day the Département took over the ZA; null while the Rectorat keeps it.</param>
/// <param name="BuiltYear">Year of construction, when known (asbestos survey before 1997).</param>
public sealed record College(
    string Uai,
    string Name,
    string Commune,
    string Ut,
    bool CiteMixte,
    DateOnly? ZaRepriseDate,
    int? BuiltYear);
