"""The words of every email: which emails a partner gets, and each one composed.

Below the renderers: the email renderer writes these as files, the site
shows them in its email boxes, and `refkit email` prints one.
"""
