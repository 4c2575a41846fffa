namespace Remediator.Detectors.Tables;

/// <summary>Registers the DynamoDB table detectors with the registry.</summary>
public static class TableElements
{
    public static ElementRegistry AddTableDetectors(this ElementRegistry registry) =>
        registry.AddDetector(TableEncryptionDetector.Descriptor);
}
