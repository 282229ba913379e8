namespace TicketHub.Classifier.Routing;

public static class Zones
{
    /// <summary>Zone pédagogique: classrooms, VPI, Wi-Fi, pedagogical server.</summary>
    public const string Pedagogique = "ZP";

    /// <summary>Zone administrative: the administration's PCs and services.</summary>
    public const string Administrative = "ZA";
}
