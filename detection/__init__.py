"""Early-warning detection library: pure NumPy/SciPy, no Django.

Public entry points:

* :func:`detection.farrington.farrington_flexible` -- quasi-Poisson Farrington flexible
  (Farrington 1996, Noufaily 2013), batched across series.
* :func:`detection.ears.ears_c` -- EARS C1/C2/C3 as R ``surveillance::earsC``.
* :func:`detection.scan.stp_scan` and :func:`detection.scan.ebp_scan` -- prospective
  space-time permutation scan and expectation-based Poisson scan.
* :mod:`detection.synthetic`, :mod:`detection.metrics` -- Noufaily-style data and metrics.
* :func:`detection.cli.main` -- the ``dutdiem detect`` command.
"""

from detection.result import DetectionResult

__all__ = ["DetectionResult"]
