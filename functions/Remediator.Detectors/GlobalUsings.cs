// The namespaces every detector and planner of this project reads: declared once here rather than at the top of each file.
global using Remediator.Core;
global using Remediator.Core.Detection;
global using Remediator.Core.Events;
global using Remediator.Core.Operations;
global using Remediator.Core.Registry;
global using Remediator.Core.Remediation;
global using Remediator.Detectors.Actions;
